"""E-mails to the recipients of a news item, sent in the background.

Each e-mail is recorded as sent right after it went: a worker that dies
mid-way leaves the others to send, and sends none of them twice (except, at
worst, the one it was handing to the mail server when it died).

A run of the worker holds the recipients it is e-mailing for a while (a
lease, renewed with each batch); recipients held by a run that died are
taken up again once its lease has passed. Each run leaves behind it a
follow-up run of the task, due when its lease ends: if the worker dies, the
follow-up resumes what is left; if the mail server fails, the follow-up is
brought forward as a retry after a growing delay; once everything went, it
is withdrawn. A recipient is tried ``MAX_ATTEMPTS`` times, then marked
"could not be sent"; every failure is logged.
"""

import logging
import re
import smtplib
import time
import unicodedata
from datetime import timedelta
from functools import partial, wraps

from django.conf import settings
from django.core import mail, signing
from django.db import OperationalError, transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from django_tasks import task

from inbox.models import NotificationChoice, Recipient

logger = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 5
# Runs of the task for one page (resumptions and retries): a bound in case
# something kills the worker before it reaches any recipient.
MAX_RUNS = 4 * MAX_ATTEMPTS
SUBJECT_LENGTH = 200
UNSUBSCRIBE_SALT = "inbox.unsubscribe"
# Errors of the mail server about one message: the others may still go.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def lease():
    """How long a run holds the recipients it is e-mailing."""
    return timedelta(seconds=getattr(settings, "NOTIFICATION_LEASE_SECONDS", 900))


def retry_delay(attempt):
    """How long to wait before trying again after the ``attempt``-th failure."""
    delays = getattr(settings, "NOTIFICATION_RETRY_SECONDS", (60, 300, 1800, 7200))
    return timedelta(seconds=delays[min(attempt, len(delays)) - 1])


def when_locked_retry(function, tries=5):
    """Run ``function`` again when SQLite stayed locked beyond its busy
    timeout (another process held the write lock that long)."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(1, tries + 1):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if "locked" not in str(error) or attempt == tries:
                    raise
                logger.warning("Database locked, trying again (%s): %s", attempt, error)
                time.sleep(attempt)
        return None

    return wrapper


def one_line(text, length=None):
    """``text`` fit for a mail header: control characters and line breaks
    (CR, LF, tab, NUL, Unicode line separators…) become spaces, other
    invisible ones (format characters such as bidi overrides, lone
    surrogates) are dropped, runs of spaces are collapsed (non-breaking
    ones are kept), and it is cut to ``length`` characters."""
    kept = []
    for character in str(text):
        category = unicodedata.category(character)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif not category.startswith("C"):
            kept.append(character)
    text = re.sub(" {2,}", " ", "".join(kept)).strip(" ")
    return Truncator(text).chars(length) if length else text


def unsubscribe_url(user):
    token = signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)
    return settings.WAGTAILADMIN_BASE_URL + reverse("unsubscribe", args=[token])


def unsubscribe_headers(url):
    """Headers for mail clients' own one-click unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{one_line(url)}>",
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
        "acknowledgement": recipient.asked_to_acknowledge
        and getattr(page.specific, "acknowledgement_required", False),
        "reminder": reminder,
        "unsubscribe_url": unsubscribe_url(user),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Reminder: %(title)s") if reminder else _("%(source)s: %(title)s")
        ) % {"title": one_line(page.title), "source": one_line(source)}
        body = render_to_string("inbox/email/news.txt", context)
    message = mail.EmailMessage(
        one_line(subject, SUBJECT_LENGTH),
        body,
        to=[user.email],
        headers=unsubscribe_headers(context["unsubscribe_url"]),
    )
    return message


@when_locked_retry
def claim(recipients, size=BATCH):
    """Hold the next ``size`` recipients of the queryset ``recipients`` that
    no live run holds, for this run; give up those tried too often. None
    when none is left."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            recipients.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .order_by("pk")[:size]
        )
        if not rows:
            return None
        spent = [row for row in rows if row.attempts >= MAX_ATTEMPTS]
        for row in spent:
            logger.error(
                "E-mail about page %s to user %s given up after %s attempts",
                row.page_id,
                row.user_id,
                row.attempts,
            )
        Recipient.objects.filter(pk__in=[row.pk for row in spent]).update(
            notification=Recipient.Notification.FAILED, claimed_until=None
        )
        held = [row for row in rows if row.attempts < MAX_ATTEMPTS]
        Recipient.objects.filter(pk__in=[row.pk for row in held]).update(
            claimed_until=now + lease(), attempts=F("attempts") + 1
        )
    for row in held:
        row.attempts += 1
    return held


@when_locked_retry
def record(rows, **values):
    """Record what became of ``rows`` and let them go."""
    Recipient.objects.filter(pk__in=[row.pk for row in rows]).update(
        claimed_until=None, **values
    )


def connection():
    """A connection to the mail server that gives up on a silent server."""
    return mail.get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30)


def release(rows, error):
    """``rows`` could not be sent because of ``error``: each of them not sent
    yet waits for its next attempt, after a delay, unless it has had all its
    attempts."""
    unsent = set(
        Recipient.objects.filter(
            pk__in=[row.pk for row in rows],
            notification__in=[
                Recipient.Notification.PENDING,
                Recipient.Notification.DIGEST,
            ],
        ).values_list("pk", flat=True)
    )
    rows = [row for row in rows if row.pk in unsent]
    spent = [row for row in rows if row.attempts >= MAX_ATTEMPTS]
    for row in rows:
        log = logger.error if row in spent else logger.warning
        log(
            "E-mail about page %s to user %s not sent (attempt %s of %s): %r",
            row.page_id,
            row.user_id,
            row.attempts,
            MAX_ATTEMPTS,
            error,
        )
    record(spent, notification=Recipient.Notification.FAILED)
    now = timezone.now()
    for row in rows:
        if row not in spent:
            when_locked_retry(Recipient.objects.filter(pk=row.pk).update)(
                claimed_until=now + retry_delay(row.attempts)
            )


def send_each(connection, messages):
    """Send each message of ``messages``, pairs of recipient rows and a
    function building their e-mail, recording its rows as sent right after
    it went. Returns how many went and the error of the mail server that
    stopped the sending, if any."""
    sent = 0
    for position, (rows, build) in enumerate(messages):
        try:
            delivered = connection.send_messages([build()])
        except ValueError as error:
            # A header the mail library refuses (such as a broken address):
            # trying again changes nothing.
            for row in rows:
                logger.error(
                    "E-mail about page %s to user %s cannot be built: %r",
                    row.page_id,
                    row.user_id,
                    error,
                )
            record(rows, notification=Recipient.Notification.FAILED)
            continue
        except MESSAGE_REFUSED as error:
            release(rows, error)
            continue
        except OSError as error:
            # The mail server went away (smtplib's errors are OSErrors too).
            unsent = [row for left, _build in messages[position:] for row in left]
            release(unsent, error)
            return sent, error
        if delivered:
            record(
                rows,
                notification=Recipient.Notification.SENT,
                notified_at=timezone.now(),
            )
            sent += 1
        else:
            release(rows, "not accepted by the e-mail backend")
    return sent, None


def sort_by_choice(batch):
    """Put aside those who want a digest or nothing (recorded at once) and
    return those to e-mail now."""
    choices = dict(
        NotificationChoice.objects.filter(
            user_id__in=[recipient.user_id for recipient in batch]
        ).values_list("user_id", "frequency")
    )
    to_send, digest, silent = [], [], []
    for recipient in batch:
        frequency = choices.get(
            recipient.user_id, NotificationChoice.Frequency.IMMEDIATE
        )
        if not recipient.user.email or not recipient.user.is_active:
            silent.append(recipient)
        elif frequency == NotificationChoice.Frequency.IMMEDIATE:
            to_send.append(recipient)
        elif frequency == NotificationChoice.Frequency.DAILY:
            digest.append(recipient)
        else:
            silent.append(recipient)
    # The digest gives them attempts of their own.
    record(digest, notification=Recipient.Notification.DIGEST, attempts=0)
    record(silent, notification=Recipient.Notification.NONE)
    return to_send


class FollowUp:
    """The next run of ``notify_recipients`` for a page, waiting in the
    queue behind this one. Nothing where the task backend cannot defer
    tasks (the tests' immediate backend): there, each run is on its own."""

    def __init__(self, page_id, attempt):
        self.result = None
        if attempt >= MAX_RUNS or not notify_recipients.get_backend().supports_defer:
            return
        later = notify_recipients.using(
            run_after=timezone.now() + lease() + timedelta(seconds=1)
        )
        self.result = when_locked_retry(later.enqueue)(page_id, attempt=attempt + 1)

    def waiting(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            pk=self.result.id, status=TaskResultStatus.READY
        )

    def postpone(self, until):
        if self.result is not None:
            when_locked_retry(self.waiting().update)(
                run_after=until + timedelta(seconds=1)
            )

    def withdraw(self):
        if self.result is not None:
            when_locked_retry(self.waiting().delete)()


def notify(page_id, attempt=1):
    """Address the news item ``page_id`` (on the first attempt) and e-mail
    its recipients who want it at once. Safe to run again: only what is left
    is done. Returns how many e-mails went."""
    from wagtail.models import Page

    from inbox.recipients import address

    follow_up = FollowUp(page_id, attempt)
    page = Page.objects.filter(pk=page_id, live=True).first()
    if page is None:
        follow_up.withdraw()
        return 0
    if attempt == 1 or not Recipient.objects.filter(page_id=page_id).exists():
        address(page)
    source = source_of(page)
    pending = Recipient.objects.filter(
        page_id=page_id, notification=Recipient.Notification.PENDING
    )
    sent = 0
    error = None
    while error is None and (batch := claim(pending)) is not None:
        follow_up.postpone(timezone.now() + lease())
        to_send = sort_by_choice(batch)
        if not to_send:
            continue
        count = 0
        try:
            with connection() as opened:
                count, error = send_each(
                    opened,
                    [
                        ([row], partial(news_email, row, page, source))
                        for row in to_send
                    ],
                )
        except OSError as refused:
            # The mail server could not be reached, or not left cleanly.
            release(to_send, refused)
            error = error or refused
        sent += count
    if error is not None:
        tried = max((row.attempts for row in batch), default=1)
        retry_at = timezone.now() + retry_delay(tried)
        logger.warning(
            "E-mails about page %s stopped by the mail server, next try at %s: %r",
            page_id,
            retry_at,
            error,
        )
        follow_up.postpone(retry_at)
    elif waiting := pending.aggregate(Min("claimed_until"))["claimed_until__min"]:
        # Refused by the mail server one by one, or held by another run.
        follow_up.postpone(max(waiting, timezone.now()))
    else:
        follow_up.withdraw()
    return sent


@task(backend="notifications")
def notify_recipients(page_id, attempt=1):
    return notify(page_id, attempt)


@task(backend="notifications")
def remind_recipients(page_id, user_ids, attempt=1):
    """Remind the recipients who have not acknowledged ``page_id`` yet and
    may still read it, unless they asked for no e-mail at all. Each
    reminder is recorded when it went; those the mail server refused are
    tried again later."""
    from wagtail.models import Page

    from visibility.audience import can_view

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
            page_id=page_id,
            user_id__in=user_ids,
            asked_to_acknowledge=True,
            acknowledged_at__isnull=True,
        )
        .exclude(user_id__in=silent)
        .select_related("user")
        if recipient.user.email
        and recipient.user.is_active
        and can_view(recipient.user, page)
    ]
    sent, done = 0, set()  # done: sent, or refused for good
    try:
        with connection() as opened:
            for recipient in recipients:
                try:
                    opened.send_messages(
                        [news_email(recipient, page, source, reminder=True)]
                    )
                except (ValueError, *MESSAGE_REFUSED) as error:
                    logger.error(
                        "Reminder about page %s to user %s not sent: %r",
                        page_id,
                        recipient.user_id,
                        error,
                    )
                    done.add(recipient.pk)
                    continue
                when_locked_retry(Recipient.objects.filter(pk=recipient.pk).update)(
                    reminded_at=timezone.now()
                )
                done.add(recipient.pk)
                sent += 1
    except OSError as error:
        # The mail server went away (smtplib's errors are OSErrors too).
        failed = [recipient for recipient in recipients if recipient.pk not in done]
        backend = remind_recipients.get_backend()
        retry = attempt < MAX_ATTEMPTS and backend.supports_defer
        logger.warning(
            "Reminders about page %s stopped by the mail server (%s left)%s: %r",
            page_id,
            len(failed),
            ", tried again later" if retry else "",
            error,
        )
        if retry and failed:
            remind_recipients.using(
                run_after=timezone.now() + retry_delay(attempt)
            ).enqueue(page_id, [recipient.user_id for recipient in failed], attempt + 1)
    return sent
