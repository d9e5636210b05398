"""The daily digest, for a daily cron: one e-mail per person listing what
was addressed to them since the last digest."""

from functools import partial
from itertools import groupby

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inbox.models import Recipient
from inbox.notifications import (
    claim,
    connection,
    record,
    release,
    send_each,
    source_of,
    unsubscribe_headers,
    unsubscribe_url,
)
from visibility.audience import can_view


def digest_email(user, rows):
    with translation.override(settings.LANGUAGE_CODE):
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
            {"user": user, "items": items, "unsubscribe_url": unsubscribe_url(user)},
        )
        return mail.EmailMessage(
            _("What was addressed to you today on the ENT"),
            body,
            to=[user.email],
            headers=unsubscribe_headers(unsubscribe_url(user)),
        )


class Command(BaseCommand):
    help = "E-mail the daily digest to the people who chose it."

    def handle(self, *args, **options):
        # Held for this run, and each person's recorded as sent once their
        # digest went: a run cut short leaves the others to the next one.
        waiting = claim(
            Recipient.objects.filter(
                notification=Recipient.Notification.DIGEST, page__live=True
            ).select_related("page"),
            size=None,
        )
        messages = []
        for _user_id, rows in groupby(
            sorted(waiting or [], key=lambda row: row.user_id),
            key=lambda row: row.user_id,
        ):
            rows = list(rows)
            user = rows[0].user
            # Only what they may still read: an audience may have narrowed.
            readable = [row for row in rows if can_view(user, row.page)]
            record(
                [row for row in rows if row not in readable],
                notification=Recipient.Notification.NONE,
            )
            if not user.email or not user.is_active:
                record(readable, notification=Recipient.Notification.NONE)
            elif readable:
                readable.sort(key=lambda row: row.page.first_published_at, reverse=True)
                messages.append((readable, partial(digest_email, user, readable)))
        sent, error = 0, None
        try:
            if messages:
                with connection() as opened:
                    sent, error = send_each(opened, messages)
        except OSError as refused:
            # The mail server could not be reached, or not left cleanly.
            release([row for rows, _build in messages for row in rows], refused)
            error = error or refused
        self.stdout.write(_("%(count)s digests sent.") % {"count": sent})
        if error is not None:
            raise CommandError(
                _(
                    "The mail server stopped the digests (%(error)s): those not "
                    "sent will go with the next run."
                )
                % {"error": error}
            )
