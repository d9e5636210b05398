"""Each teacher's hours of training against the 18 due in a school year
(1 September to 31 August): the dates of sessions they attended, plus the
outside hours a pedagogical adviser validated. One person's figures
(``hours_of``) or a whole table in a fixed number of queries
(``hours_table``), who is behind at a given day (``is_behind``), their
weekly reminders and the decisions on outside hours, by e-mail."""

import datetime
import decimal
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_tasks import task

from accounts.models import Membership
from schools.models import current_school_year
from training.models import (
    HOURS_DUE,
    Attendance,
    ExternalHours,
    HoursReminder,
    external_hours_of,
)

ZERO = decimal.Decimal(0)
STAFF_ROLES = [Membership.Role.TEACHER, Membership.Role.DIRECTOR]


def year_bounds(school_year):
    """The first day of ``school_year`` ("2026-2027") and of the next one."""
    first = int(school_year[:4])
    return datetime.date(first, 9, 1), datetime.date(first + 1, 9, 1)


def aware_bounds(school_year):
    start, end = year_bounds(school_year)
    return tuple(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        for day in (start, end)
    )


def attended_in(school_year):
    """The attendances marked present on a date of ``school_year``."""
    start, end = aware_bounds(school_year)
    return Attendance.objects.filter(
        present=True, date__start__gte=start, date__start__lt=end
    )


def session_hours_of(user, school_year):
    total = (
        attended_in(school_year)
        .filter(registration__user=user)
        .aggregate(total=Sum("date__hours"))["total"]
    )
    return total or ZERO


def hours_of(user, school_year=None):
    """The hours ``user`` has in ``school_year`` (the current one by
    default): attended session dates and validated outside hours."""
    school_year = school_year or current_school_year(timezone.localdate())
    return session_hours_of(user, school_year) + external_hours_of(user, school_year)


def expected_by(day):
    """The hours a teacher should have by ``day``: the 18 hours spread
    evenly from 1 September to 30 June, so none on 1 September and all 18
    from 30 June (and over the summer)."""
    start, _ = year_bounds(current_school_year(day))
    june_end = datetime.date(start.year + 1, 6, 30)
    elapsed = (day - start).days / (june_end - start).days
    expected = HOURS_DUE * decimal.Decimal(min(max(elapsed, 0), 1))
    return expected.quantize(decimal.Decimal("0.1"))


def is_behind(hours, day):
    return hours < expected_by(day)


@dataclass
class HoursRow:
    """One person's line of the follow-up."""

    user: object
    schools: list
    validated: decimal.Decimal = ZERO
    pending: decimal.Decimal = ZERO

    @property
    def remaining(self):
        return max(HOURS_DUE - self.validated, ZERO)

    @property
    def school_names(self):
        return ", ".join(self.schools)


def staff_memberships(schools=None):
    """The teachers' and directors' memberships, of ``schools`` if given."""
    memberships = Membership.objects.filter(role__in=STAFF_ROLES)
    if schools is not None:
        memberships = memberships.filter(school__in=schools)
    return memberships


def hours_table(memberships, school_year):
    """A row for each person of ``memberships`` (``staff_memberships``),
    by name, with their validated and pending hours in ``school_year``:
    three queries whatever the number of people."""
    rows = {}
    for membership in memberships.select_related("user", "school").order_by(
        "user__last_name", "user__first_name", "user__username", "school__title"
    ):
        row = rows.setdefault(membership.user_id, HoursRow(membership.user, []))
        if membership.school.title not in row.schools:
            row.schools.append(membership.school.title)
    people = memberships.values("user_id")
    for line in (
        attended_in(school_year)
        .filter(registration__user__in=people)
        .values("registration__user")
        .annotate(total=Sum("date__hours"))
    ):
        rows[line["registration__user"]].validated += line["total"]
    start, end = year_bounds(school_year)
    for line in (
        ExternalHours.objects.filter(
            user__in=people, done_on__gte=start, done_on__lt=end
        )
        .values("user")
        .annotate(
            validated=Sum("hours", filter=Q(status=ExternalHours.Status.VALIDATED)),
            pending=Sum("hours", filter=Q(status=ExternalHours.Status.PENDING)),
        )
    ):
        rows[line["user"]].validated += line["validated"] or ZERO
        rows[line["user"]].pending += line["pending"] or ZERO
    return list(rows.values())


# A person is reminded at most once in this time.
REMIND_AGAIN_AFTER = datetime.timedelta(days=7)


def my_hours_url():
    return settings.WAGTAILADMIN_BASE_URL + reverse("training:my_hours")


def reminder_email(row, day):
    context = {
        "user": row.user,
        "hours": row.validated,
        "due": HOURS_DUE,
        "expected": expected_by(day),
        "remaining": row.remaining,
        "url": my_hours_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(site)s: your training hours") % {
            "site": settings.WAGTAIL_SITE_NAME
        }
        body = render_to_string("training/email/hours_reminder.txt", context)
    return mail.EmailMessage(subject, body, to=[row.user.email])


@task(backend="notifications")
def send_reminders(user_ids, day):
    """E-mail each person of ``user_ids`` their hours on ``day`` (ISO)."""
    day = datetime.date.fromisoformat(day)
    memberships = staff_memberships().filter(user_id__in=user_ids)
    rows = hours_table(memberships, current_school_year(day))
    with mail.get_connection() as connection:
        connection.send_messages(
            [reminder_email(row, day) for row in rows if row.user.email]
        )


@task(backend="notifications")
def send_decision(declaration_id):
    """E-mail the author of an outside-hours declaration its decision."""
    declaration = (
        ExternalHours.objects.select_related("user")
        .exclude(status=ExternalHours.Status.PENDING)
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is not None and declaration.user.email:
        decision_email(declaration).send()


def remind(rows, day=None):
    """E-mail the people of ``rows`` (``hours_table``) who are behind on
    ``day`` (today), except those reminded in the last seven days or without
    an e-mail address; returns (sent, skipped)."""
    day = day or timezone.localdate()
    behind = [row for row in rows if is_behind(row.validated, day)]
    with transaction.atomic():
        recent = set(
            HoursReminder.objects.select_for_update()
            .filter(
                user__in=[row.user for row in behind],
                sent_at__gte=timezone.now() - REMIND_AGAIN_AFTER,
            )
            .values_list("user_id", flat=True)
        )
        to_remind = [
            row for row in behind if row.user.pk not in recent and row.user.email
        ]
        # Only the last reminder of each person is kept, and only as long
        # as it holds the next one back.
        HoursReminder.objects.filter(
            Q(user__in=[row.user for row in to_remind])
            | Q(sent_at__lt=timezone.now() - REMIND_AGAIN_AFTER)
        ).delete()
        HoursReminder.objects.bulk_create(
            [HoursReminder(user=row.user) for row in to_remind]
        )
        if to_remind:
            transaction.on_commit(
                partial(
                    send_reminders.enqueue,
                    [row.user.pk for row in to_remind],
                    day.isoformat(),
                )
            )
    return len(to_remind), len(behind) - len(to_remind)


def decision_email(declaration):
    context = {
        "declaration": declaration,
        "validated": declaration.status == ExternalHours.Status.VALIDATED,
        "url": my_hours_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(site)s: your outside training hours") % {
            "site": settings.WAGTAIL_SITE_NAME
        }
        body = render_to_string("training/email/hours_decision.txt", context)
    return mail.EmailMessage(subject, body, to=[declaration.user.email])


def decide(declaration_id, validated, reason, decided_by):
    """Validate or refuse a pending declaration and e-mail its author;
    returns the declaration, or None if it was decided already."""
    with transaction.atomic():
        declaration = (
            ExternalHours.objects.select_for_update()
            .select_related("user")
            .filter(pk=declaration_id, status=ExternalHours.Status.PENDING)
            .first()
        )
        if declaration is None:
            return None
        declaration.status = (
            ExternalHours.Status.VALIDATED
            if validated
            else ExternalHours.Status.REFUSED
        )
        declaration.reason = "" if validated else reason
        declaration.decided_by = decided_by
        declaration.decided_at = timezone.now()
        declaration.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        transaction.on_commit(partial(send_decision.enqueue, declaration.pk))
    return declaration
