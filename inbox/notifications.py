"""E-mails to the recipients of a news item, sent in the background.

A batch of recipients is marked as notified, in one transaction, *before*
its e-mails go: a worker that dies mid-way never sends an e-mail twice (a
batch cut short is at most not sent; ``pending`` rows are taken up again by
the next run).
"""

from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_tasks import task

from inbox.models import NotificationChoice, Recipient

BATCH = 500
UNSUBSCRIBE_SALT = "inbox.unsubscribe"


def unsubscribe_url(user):
    token = signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)
    return settings.WAGTAILADMIN_BASE_URL + reverse("unsubscribe", args=[token])


def unsubscribe_headers(url):
    """Headers for mail clients' own one-click unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def source_of(page):
    """Who speaks: the class, the school or the district."""
    from schools.models import ClassroomPage, SchoolPage

    parent = page.get_parent().specific
    if isinstance(parent, (ClassroomPage, SchoolPage)):
        return parent.title
    return page.get_site().site_name


def news_email(recipient, page, source, reminder=False):
    """The e-mail telling ``recipient`` of ``page``: its title, who sent it
    and a link; nothing of its content."""
    user = recipient.user
    context = {
        "user": user,
        "page": page,
        "source": source,
        "url": page.get_full_url(),
        "acknowledgement": getattr(page.specific, "acknowledgement_required", False),
        "reminder": reminder,
        "unsubscribe_url": unsubscribe_url(user),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Reminder: %(title)s") if reminder else _("%(source)s: %(title)s")
        ) % {"title": page.title, "source": source}
        body = render_to_string("inbox/email/news.txt", context)
    message = mail.EmailMessage(
        subject,
        body,
        to=[user.email],
        headers=unsubscribe_headers(context["unsubscribe_url"]),
    )
    return message


def claim_batch(page_id):
    """Mark the next batch of pending recipients of ``page_id`` and return
    those to e-mail now."""
    with transaction.atomic():
        batch = list(
            Recipient.objects.select_for_update(skip_locked=True)
            .filter(page_id=page_id, notification=Recipient.Notification.PENDING)
            .select_related("user")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return None
        choices = dict(
            NotificationChoice.objects.filter(
                user_id__in=[recipient.user_id for recipient in batch]
            ).values_list("user_id", "frequency")
        )
        now = timezone.now()
        to_send = []
        for recipient in batch:
            frequency = choices.get(
                recipient.user_id, NotificationChoice.Frequency.IMMEDIATE
            )
            if not recipient.user.email or not recipient.user.is_active:
                recipient.notification = Recipient.Notification.NONE
            elif frequency == NotificationChoice.Frequency.IMMEDIATE:
                recipient.notification = Recipient.Notification.SENT
                recipient.notified_at = now
                to_send.append(recipient)
            elif frequency == NotificationChoice.Frequency.DAILY:
                recipient.notification = Recipient.Notification.DIGEST
            else:
                recipient.notification = Recipient.Notification.NONE
        Recipient.objects.bulk_update(batch, ["notification", "notified_at"])
    return to_send


def notify(page_id):
    """Address the news item ``page_id`` and e-mail its recipients who want
    it at once. Safe to run again: only what is left is done."""
    from wagtail.models import Page

    from inbox.recipients import address

    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return 0
    address(page)
    source = source_of(page)
    sent = 0
    while (batch := claim_batch(page_id)) is not None:
        messages = [news_email(recipient, page, source) for recipient in batch]
        with mail.get_connection() as connection:
            sent += connection.send_messages(messages) or 0
    return sent


@task(backend="notifications")
def notify_recipients(page_id):
    return notify(page_id)


@task(backend="notifications")
def remind_recipients(page_id, user_ids):
    """Remind the recipients who have not acknowledged ``page_id`` yet and
    may still read it, unless they asked for no e-mail at all."""
    from wagtail.models import Page

    from home.audience import can_view

    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return 0
    source = source_of(page)
    silent = NotificationChoice.objects.filter(
        user_id__in=user_ids, frequency=NotificationChoice.Frequency.NEVER
    ).values("user_id")
    recipients = [
        recipient
        for recipient in Recipient.objects.filter(
            page_id=page_id, user_id__in=user_ids, acknowledged_at__isnull=True
        )
        .exclude(user_id__in=silent)
        .select_related("user")
        if recipient.user.email
        and recipient.user.is_active
        and can_view(recipient.user, page)
    ]
    Recipient.objects.filter(pk__in=[recipient.pk for recipient in recipients]).update(
        reminded_at=timezone.now()
    )
    messages = [
        news_email(recipient, page, source, reminder=True) for recipient in recipients
    ]
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0
