"""What the training pages and « Mon fil » show of sessions: the listing of
the « Formations » page, the facts and registration block of a session,
and each teacher's own sessions (``{% load training %}``)."""

import datetime
import decimal

from django import template
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from schools.models import current_school_year
from training.access import is_staff_member, manages_training
from training.models import Registration, SessionDate, TrainingSessionPage
from training.registration import counts, has_started, is_open, waiting_position
from visibility.audience import Audience, access_for, visible_pages

register = template.Library()

Status = Registration.Status
# How many open sessions « Mon fil » suggests.
OPEN_SESSIONS_SHOWN = 3


def count_of(queryset):
    """A subquery counting the rows of ``queryset`` (correlated by the
    caller), 0 when there are none."""
    number = queryset.order_by().values("session").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(number, output_field=IntegerField()), Value(0))


def with_facts(sessions, user):
    """``sessions`` with their first start, last end, hours, places taken
    and ``user``'s status, read in the same query."""
    dates = SessionDate.objects.filter(session=OuterRef("pk"))
    hours = dates.order_by().values("session").annotate(total=Sum("hours"))
    return sessions.annotate(
        first_start=Subquery(dates.order_by("start").values("start")[:1]),
        last_end=Subquery(dates.order_by("-end").values("end")[:1]),
        total_hours=Subquery(hours.values("total")),
        taken=count_of(
            Registration.objects.filter(
                session=OuterRef("pk"), status=Status.REGISTERED
            )
        ),
        my_status=Subquery(
            Registration.objects.filter(session=OuterRef("pk"), user=user.pk).values(
                "status"
            )[:1]
        ),
    )


def seen_by(user):
    """The live sessions ``user`` may see; none for visitors and families,
    without a query (sessions are for staff)."""
    access = access_for(user)
    if not (access.team or access.roles & {"teacher", "director"}):
        return None
    return visible_pages(TrainingSessionPage.objects.live(), user)


@register.filter
def hours(value):
    """« 3 h », « 1,5 h »."""
    if value is None:
        return ""
    return f"{formats.number_format(decimal.Decimal(str(value)).normalize())} h"


@register.simple_tag
def training_listing(page, request):
    """The sessions of the « Formations » page that the reader may see:
    those to come, and those of this school year already over."""
    sessions = seen_by(request.user)
    if sessions is None:
        return {"shown": False}
    now = timezone.now()
    first = int(current_school_year(timezone.localdate())[:4])
    year_start = timezone.make_aware(datetime.datetime(first, 9, 1))
    rows = list(
        with_facts(sessions.child_of(page), request.user).order_by("first_start")
    )
    for row in rows:
        row.places_left = max(row.capacity - row.taken, 0)
    return {
        "shown": True,
        "upcoming": [r for r in rows if r.last_end and r.last_end >= now],
        "past": [
            r
            for r in rows
            if r.last_end and year_start <= r.first_start and r.last_end < now
        ],
        "now": now,
    }


@register.simple_tag
def session_audience(session):
    """« Pour : enseignants et directeurs de la circonscription », or of
    the schools it is reserved to."""
    schools = [school.title for school in session.target_schools.all()]
    directors = session.audience == Audience.DIRECTORS
    if not schools:
        if directors:
            return _("For: directors of the district")
        return _("For: teachers and directors of the district")
    names = get_text_list(schools, _("and"))
    if directors:
        return _("For: directors of %(schools)s") % {"schools": names}
    return _("For: teachers and directors of %(schools)s") % {"schools": names}


@register.simple_tag
def session_registration(session, request):
    """The registration block of a session page: places, the reader's own
    registration and what they may do; for the district team, who is
    registered and who waits."""
    if session.pk is None:
        # The admin's preview of a session not created yet.
        return {"preview": True}
    user = request.user
    number = counts(session)
    block = {
        "registered": number[Status.REGISTERED],
        "waiting": number[Status.WAITING],
        "places_left": max(session.capacity - number[Status.REGISTERED], 0),
        "open": is_open(session),
        "started": has_started(session),
        "may_register": is_staff_member(user),
        "mine": None,
        "team": manages_training(user),
    }
    if user.is_authenticated:
        mine = Registration.objects.filter(session=session, user=user).first()
        if mine is not None and mine.status == Status.WAITING:
            mine.position = waiting_position(mine)
        block["mine"] = mine
    if block["team"]:
        people = Registration.objects.filter(session=session).select_related("user")
        people = people.prefetch_related("user__memberships__school").order_by(
            "created_at", "pk"
        )
        rows = list(people)
        for row in rows:
            row.schools = sorted(
                {m.school.title for m in row.user.memberships.all() if m.school_id}
            )
        block["registered_list"] = [r for r in rows if r.status == Status.REGISTERED]
        block["waiting_list"] = [r for r in rows if r.status == Status.WAITING]
    return block


@register.inclusion_tag("training/includes/my_sessions.html")
def my_sessions(request):
    """« Mes formations » and « Formations ouvertes » on « Mon fil », for
    teachers and directors (nothing, and no query, for the others)."""
    user = request.user
    if not is_staff_member(user):
        return {"shown": False}
    now = timezone.now()
    sessions = seen_by(user)
    first_start = Subquery(
        SessionDate.objects.filter(session=OuterRef("session"))
        .order_by("start")
        .values("start")[:1]
    )
    last_end = Subquery(
        SessionDate.objects.filter(session=OuterRef("session"))
        .order_by("-end")
        .values("end")[:1]
    )
    ahead = Registration.objects.filter(
        session=OuterRef("session"), status=Status.WAITING
    ).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    mine = list(
        Registration.objects.filter(user=user, session__in=sessions)
        .select_related("session")
        .annotate(first_start=first_start, last_end=last_end, ahead=count_of(ahead))
        .filter(last_end__gte=now)
        .order_by("first_start")
    )
    for registration in mine:
        registration.position = registration.ahead + 1
        registration.may_cancel = (
            registration.status == Status.WAITING or registration.first_start > now
        )
    open_sessions = list(
        with_facts(sessions, user)
        .filter(registration_deadline__gt=now, first_start__gt=now, my_status=None)
        .order_by("first_start")[:OPEN_SESSIONS_SHOWN]
    )
    for session in open_sessions:
        session.places_left = max(session.capacity - session.taken, 0)
    return {
        "shown": True,
        "mine": mine,
        "open_sessions": open_sessions,
        "request": request,
    }
