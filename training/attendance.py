"""Marking attendance: the people registered for a session, the date to
mark by default, and saving one date's call (the same result however many
times it is sent)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from training.models import Attendance, Registration

STAFF_ROLES = [Membership.Role.TEACHER, Membership.Role.DIRECTOR]


def registered(session):
    """The registrations (not the waiting list) of ``session``, by name."""
    return (
        Registration.objects.filter(
            session=session, status=Registration.Status.REGISTERED
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def schools_of(user_ids):
    """{user id: "School, School"}: the schools where each person teaches
    or directs, in one query."""
    schools = {}
    for user_id, title in (
        Membership.objects.filter(user__in=user_ids, role__in=STAFF_ROLES)
        .order_by("school__title")
        .values_list("user_id", "school__title")
        .distinct()
    ):
        schools.setdefault(user_id, [])
        if title not in schools[user_id]:
            schools[user_id].append(title)
    return {user_id: ", ".join(titles) for user_id, titles in schools.items()}


def default_date(dates):
    """Today's date of the session if it has one, else its first."""
    today = timezone.localdate()
    for date in dates:
        if timezone.localtime(date.start).date() == today:
            return date
    return dates[0] if dates else None


def save_call(date, present_ids, marked_by):
    """Record who of the registered people was there on ``date``; returns
    (present, absent) counts."""
    registrations = list(registered(date.session).values_list("pk", flat=True))
    present_ids = set(present_ids) & set(registrations)
    rows = [
        Attendance(
            registration_id=pk,
            date=date,
            present=pk in present_ids,
            marked_by=marked_by,
        )
        for pk in registrations
    ]
    with transaction.atomic():
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["registration", "date"],
            update_fields=["present", "marked_by", "marked_at"],
        )
    return len(present_ids), len(registrations) - len(present_ids)


def attended_dates(session, user):
    """The dates of ``session`` at which ``user`` was marked present."""
    return session.dates.filter(
        attendances__registration__user=user, attendances__present=True
    ).order_by("start")
