"""The daily digest, for a daily cron: one e-mail per person listing what
was addressed to them since the last digest."""

from itertools import groupby

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from home.audience import can_view
from inbox.models import Recipient
from inbox.notifications import source_of, unsubscribe_headers, unsubscribe_url


class Command(BaseCommand):
    help = "E-mail the daily digest to the people who chose it."

    def handle(self, *args, **options):
        with transaction.atomic():
            # Marked before sending: an interrupted run never sends twice.
            waiting = list(
                Recipient.objects.select_for_update(skip_locked=True)
                .filter(notification=Recipient.Notification.DIGEST, page__live=True)
                .select_related("user", "page")
                .order_by("user_id", "-page__first_published_at")
            )
            Recipient.objects.filter(pk__in=[row.pk for row in waiting]).update(
                notification=Recipient.Notification.SENT, notified_at=timezone.now()
            )
        messages = []
        with translation.override(settings.LANGUAGE_CODE):
            for _user_id, rows in groupby(waiting, key=lambda row: row.user_id):
                rows = list(rows)
                user = rows[0].user
                # Only what they may still read: an audience may have narrowed.
                rows = [row for row in rows if can_view(user, row.page)]
                if not rows:
                    continue
                if not user.email or not user.is_active:
                    continue
                items = [
                    {
                        "title": row.page.title,
                        "source": source_of(row.page),
                        "url": row.page.get_full_url(),
                    }
                    for row in rows
                ]
                body = render_to_string(
                    "inbox/email/digest.txt",
                    {
                        "user": user,
                        "items": items,
                        "unsubscribe_url": unsubscribe_url(user),
                    },
                )
                messages.append(
                    mail.EmailMessage(
                        _("What was addressed to you today on the ENT"),
                        body,
                        to=[user.email],
                        headers=unsubscribe_headers(unsubscribe_url(user)),
                    )
                )
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
        self.stdout.write(_("%(count)s digests sent.") % {"count": sent})
