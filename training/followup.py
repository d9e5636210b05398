"""After a session: the library resources shared with its participants, and
its anonymous feedback form (who is asked, what the team reads)."""

import datetime
import random
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_tasks import task

from resources.models import ResourcePage
from training.models import (
    Attendance,
    FeedbackAnswer,
    FeedbackGiven,
    Registration,
    SharedResourceSent,
    TrainingSessionPage,
)
from visibility.audience import visible_pages

# Below this many answers the team reads the ratings only: a comment among
# two could tell who wrote it.
TEXTS_FROM = 3
# The feedback form takes answers for this long after it is sent; its
# results are shown only then, all at once, so that the team never sees an
# answer arrive.
FEEDBACK_OPEN = datetime.timedelta(days=14)


def shared_resources_for(session, user):
    """The published resources shared with ``session`` that ``user`` may
    read."""
    return visible_pages(
        ResourcePage.objects.live().filter(pk__in=session.shared_resources.all()),
        user,
    ).order_by("title")


def is_registered(session, user):
    return (
        user.is_authenticated
        and Registration.objects.filter(
            session=session, user=user, status=Registration.Status.REGISTERED
        ).exists()
    )


def registered_people(session):
    return get_user_model().objects.filter(
        training_registrations__session=session,
        training_registrations__status=Registration.Status.REGISTERED,
    )


def feedback_recipients(session):
    """Who is asked for feedback: those marked present on a date of the
    session, or every registered person if no attendance was marked."""
    attendances = Attendance.objects.filter(registration__session=session)
    if not attendances.exists():
        return registered_people(session)
    return get_user_model().objects.filter(
        training_registrations__in=attendances.filter(present=True).values(
            "registration"
        )
    )


def last_sending(session):
    """When resources of ``session`` were last e-mailed (None if never)."""
    latest = (
        SharedResourceSent.objects.filter(session=session).order_by("-sent_at").first()
    )
    return latest.sent_at if latest else None


def unsent_resources(session):
    """The shared resources (published) not e-mailed yet."""
    return session.shared_resources.live().exclude(
        pk__in=SharedResourceSent.objects.filter(session=session).values("resource")
    )


def share_resources(session):
    """Record the resources not sent yet as sent and, once saved, e-mail
    each registered participant the links of those they may read. Returns
    how many resources are new (0: nothing to send)."""
    with transaction.atomic():
        # Locked: of two clicks at once, the second finds nothing new.
        TrainingSessionPage.objects.select_for_update().filter(pk=session.pk).first()
        new = list(unsent_resources(session))
        SharedResourceSent.objects.bulk_create(
            [SharedResourceSent(session=session, resource=r) for r in new]
        )
        if new:
            transaction.on_commit(
                partial(send_resources.enqueue, session.pk, [r.pk for r in new])
            )
    return len(new)


@task(backend="notifications")
def send_resources(session_id, resource_ids):
    session = TrainingSessionPage.objects.get(pk=session_id)
    resources = ResourcePage.objects.live().filter(pk__in=resource_ids)
    messages = []
    for person in registered_people(session).exclude(email=""):
        readable = visible_pages(resources, person).order_by("title")
        if readable:
            messages.append(
                followup_email(
                    "training/email/followup_resources.txt",
                    _("Resources of the session « %(title)s »"),
                    session,
                    person,
                    resources=[
                        (r.title, settings.WAGTAILADMIN_BASE_URL + r.url)
                        for r in readable
                    ],
                )
            )
    mail.get_connection().send_messages(messages)


def send_feedback_form(session):
    """Mark the feedback form of ``session`` as sent and e-mail its link to
    the participants once saved. Returns how many are asked, or None if it
    was sent already."""
    with transaction.atomic():
        now = timezone.now()
        # One update: of two clicks at once, only one finds it unsent.
        sent = TrainingSessionPage.objects.filter(
            pk=session.pk, feedback_sent_at__isnull=True
        ).update(feedback_sent_at=now)
        if not sent:
            return None
        session.feedback_sent_at = now
        recipients = list(feedback_recipients(session).values_list("pk", flat=True))
        transaction.on_commit(
            partial(send_feedback_emails.enqueue, session.pk, recipients)
        )
    return len(recipients)


@task(backend="notifications")
def send_feedback_emails(session_id, user_ids):
    session = TrainingSessionPage.objects.get(pk=session_id)
    url = settings.WAGTAILADMIN_BASE_URL + reverse(
        "training:feedback", args=[session.pk]
    )
    people = get_user_model().objects.filter(pk__in=user_ids).exclude(email="")
    mail.get_connection().send_messages(
        [
            followup_email(
                "training/email/followup_feedback.txt",
                _("Your opinion on the session « %(title)s »"),
                session,
                person,
                url=url,
            )
            for person in people
        ]
    )


def followup_email(template, subject, session, person, **context):
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject % {"title": session.title}
        body = render_to_string(
            template,
            {
                "user": person,
                "session": session,
                "site_name": settings.WAGTAIL_SITE_NAME,
                **context,
            },
        )
    return mail.EmailMessage(subject, body, to=[person.email])


def feedback_closes_at(session):
    """When the form of ``session`` stops taking answers (None: not sent)."""
    if session.feedback_sent_at is None:
        return None
    return session.feedback_sent_at + FEEDBACK_OPEN


def feedback_closed(session):
    closes_at = feedback_closes_at(session)
    return closes_at is not None and closes_at <= timezone.now()


def may_give_feedback(session, user):
    """Whether ``user`` is asked for feedback on ``session``."""
    return (
        session.feedback_sent_at is not None
        and feedback_recipients(session).filter(pk=user.pk).exists()
    )


def has_given_feedback(session, user):
    return FeedbackGiven.objects.filter(session=session, user=user).exists()


def give_feedback(session, user, rating, liked, improve):
    """Store one answer that names nobody, and that ``user`` answered.
    Returns False if they had answered already (nothing stored)."""
    try:
        with transaction.atomic():
            FeedbackGiven.objects.create(session=session, user=user)
            FeedbackAnswer.objects.create(
                session=session, rating=rating, liked=liked, improve=improve
            )
    except IntegrityError:
        return False
    return True


def feedback_results(session):
    """The number of answers and, once the form is closed and has
    ``TEXTS_FROM`` answers, the counts of each rating and the texts in
    random order (else None for both)."""
    answers = FeedbackAnswer.objects.filter(session=session)
    total = answers.count()
    closed = feedback_closed(session)
    if not closed or total < TEXTS_FROM:
        return {
            "total": total,
            "ratings": None,
            "texts": None,
            # Still to come: when the answers will be shown.
            "closes_at": None if closed else feedback_closes_at(session),
        }
    counts = {
        row["rating"]: row["n"]
        for row in answers.order_by().values("rating").annotate(n=Count("pk"))
    }
    ratings = [
        (label, counts.get(value, 0)) for value, label in FeedbackAnswer.Rating.choices
    ]
    texts = {
        "liked": [t for t in answers.values_list("liked", flat=True) if t],
        "improve": [t for t in answers.values_list("improve", flat=True) if t],
    }
    for values in texts.values():
        random.shuffle(values)
    return {"total": total, "ratings": ratings, "texts": texts, "closes_at": None}
