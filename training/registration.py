"""Registering for a training session and cancelling, with a waiting list.

Every change happens in one transaction that first locks the session's page
row: the places are counted under the lock, so two teachers taking the last
place at the same moment get one place and one waiting position. A place
freed (a cancellation, a capacity raised when the session is published
again) goes to the first person waiting, who is told by e-mail once the
change is committed."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from django_tasks import task

from training.access import is_staff_member
from training.models import Registration, TrainingSessionPage
from visibility.audience import can_view

Status = Registration.Status


class Refused(Exception):
    """A registration or cancellation that may not be made, with the French
    message that says why."""


@dataclass(frozen=True)
class Outcome:
    """What a registration or cancellation did, told to the person:
    ``changed`` is false when it was already done (a double submit)."""

    message: str
    changed: bool = True


def first_start(session):
    first = session.dates.order_by("start").first()
    return first.start if first else None


def has_started(session, now=None):
    start = first_start(session)
    return start is not None and start <= (now or timezone.now())


def is_open(session, now=None):
    """Whether registrations are still taken: before the deadline and
    before the first date."""
    now = now or timezone.now()
    return session.registration_deadline > now and not has_started(session, now)


def waiting_position(registration):
    """1 for the first person waiting, and so on."""
    return (
        Registration.objects.filter(
            session_id=registration.session_id, status=Status.WAITING
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def locked(session):
    """The session read again under a lock on its page row (the caller is
    in a transaction): what other transactions change waits until then."""
    Page.objects.select_for_update().get(pk=session.pk)
    return TrainingSessionPage.objects.get(pk=session.pk)


def register(session, user):
    """Register ``user`` for ``session``, or put them on its waiting list
    when it is full. Raises ``Refused`` with the reason."""
    with transaction.atomic():
        session = locked(session)
        existing = Registration.objects.filter(session=session, user=user).first()
        if existing is not None:
            if existing.status == Status.REGISTERED:
                return Outcome(_("You are already registered."), changed=False)
            return Outcome(
                _("You are already number %(position)s on the waiting list.")
                % {"position": waiting_position(existing)},
                changed=False,
            )
        if not session.live or not can_view(user, session):
            raise Refused(_("This session is not open to you."))
        if not is_staff_member(user):
            raise Refused(_("Only teachers and directors register for sessions."))
        if not is_open(session):
            raise Refused(_("Registrations for this session are closed."))
        taken = Registration.objects.filter(
            session=session, status=Status.REGISTERED
        ).count()
        status = Status.REGISTERED if taken < session.capacity else Status.WAITING
        registration = Registration.objects.create(
            session=session, user=user, status=status
        )
    if status == Status.REGISTERED:
        return Outcome(_("You are registered."))
    return Outcome(
        _(
            "The session is full: you are number %(position)s on the waiting "
            "list. You will get an e-mail if a place is freed."
        )
        % {"position": waiting_position(registration)}
    )


def cancel(session, user):
    """Take ``user`` off ``session`` (registered or waiting); a place freed
    goes to the first person waiting. Raises ``Refused`` once the session
    has started, for a registered person."""
    with transaction.atomic():
        session = locked(session)
        registration = Registration.objects.filter(session=session, user=user).first()
        if registration is None:
            return Outcome(_("You are not registered for this session."), changed=False)
        if registration.status == Status.WAITING:
            registration.delete()
            return Outcome(_("You have left the waiting list."))
        if has_started(session):
            raise Refused(
                _(
                    "The session has started: your registration can no longer "
                    "be cancelled."
                )
            )
        registration.delete()
        fill_places(session)
    return Outcome(_("Your registration is cancelled."))


def fill_places(session):
    """Give the free places of ``session`` to the people waiting, first come
    first served, and e-mail them after the commit. The caller holds the
    session's lock (``locked``). Nothing moves once the session started."""
    if not session.live or has_started(session):
        return []
    taken = Registration.objects.filter(
        session=session, status=Status.REGISTERED
    ).count()
    free = session.capacity - taken
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(session=session, status=Status.WAITING)
        .select_related("user")
        .order_by("created_at", "pk")[:free]
    )
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Status.REGISTERED
    )
    for registration in promoted:
        transaction.on_commit(
            partial(tell_promoted.enqueue, session.pk, registration.user_id)
        )
    return promoted


def promote_waiting_list(session):
    """Fill the places of ``session`` (its capacity may have grown), under
    its lock."""
    with transaction.atomic():
        return fill_places(locked(session))


@task(backend="notifications")
def tell_promoted(session_id, user_id):
    """E-mail ``user_id`` the place they were given in ``session_id``, if
    they still hold it."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    session = TrainingSessionPage.objects.filter(pk=session_id).first()
    if user is None or session is None or not user.email:
        return
    if not Registration.objects.filter(
        session=session, user=user, status=Status.REGISTERED
    ).exists():
        return
    dates = list(session.dates.order_by("start"))
    context = {"person": user, "session": session, "dates": dates}
    context["url"] = session.get_full_url()
    with translation.override(settings.LANGUAGE_CODE):
        message = mail.EmailMessage(
            subject=_("A place is free: you are registered for %(title)s")
            % {"title": session.title},
            body=render_to_string("training/email/place_freed.txt", context),
            to=[user.email],
        )
    message.send()


def counts(session):
    """{status: number of people} of ``session``."""
    rows = (
        Registration.objects.filter(session=session)
        .values("status")
        .annotate(number=Count("pk"))
    )
    found = {row["status"]: row["number"] for row in rows}
    return {status: found.get(status, 0) for status in Status.values}
