"""The demo's agenda and training space: real-looking content around the
day it is seeded (the session's seed, ``conftest``)."""

import datetime
import decimal

from django.db.models import Sum
from django.utils import timezone

import pytest

from agenda.models import EventPage, SchoolHoliday
from demo.holidays import zone_b_holidays
from schools.models import current_school_year
from tests.conftest import user
from training.models import (
    Attendance,
    ExternalHours,
    Registration,
    TrainingSessionPage,
)

pytestmark = pytest.mark.django_db


def test_the_holidays_of_zone_b_2026_2027():
    holidays = {name: (first, last) for name, first, last in zone_b_holidays(2026)}
    assert holidays["Vacances de la Toussaint"] == (
        datetime.date(2026, 10, 17),
        datetime.date(2026, 11, 1),
    )
    assert holidays["Vacances de Noël"] == (
        datetime.date(2026, 12, 19),
        datetime.date(2027, 1, 3),
    )
    assert holidays["Pont de l'Ascension"][0] == datetime.date(2027, 5, 6)
    # Each fortnight runs from a Saturday to the Sunday two weeks later.
    for name, (first, last) in holidays.items():
        if name.startswith("Vacances") and name != "Vacances d'été":
            assert first.weekday() == 5 and (last - first).days == 15


def test_the_school_year_in_progress_has_its_holidays():
    first_year = int(current_school_year(datetime.date.today())[:4])
    christmas = SchoolHoliday.objects.get(
        name="Vacances de Noël", first_day__year=first_year
    )
    assert christmas.last_day.year == first_year + 1


def test_events_at_every_level_with_their_audience():
    events = {page.title: page for page in EventPage.objects.live()}
    expected = {
        "Conseil des maîtres de circonscription": ("directors", "agenda"),
        "Carnaval des écoles": ("public", "agenda"),
        "Réunion parents-enseignants": ("community", "jules-ferry"),
        "Kermesse de l'école": ("public", "jules-ferry"),
        "Sortie à la médiathèque": ("community", "cp-moreau"),
    }
    for title, (audience, parent) in expected.items():
        assert events[title].audience == audience
        assert events[title].get_parent().slug == parent
    assert events["Conférence pédagogique : apprendre à lire au CP"].audience == (
        "staff"
    )


def test_the_swimming_lessons_are_on_tuesdays_in_term_time():
    swimming = EventPage.objects.get(title="Piscine")
    starts = swimming.starts()
    assert all(start.weekday() == 1 for start in starts)
    assert starts[-1].month == 3
    assert swimming.skipped_starts()  # the Toussaint and Christmas Tuesdays
    for start in starts:
        assert not SchoolHoliday.covering(start.date(), start.date()).exists()


def test_the_upcoming_session_is_full_with_a_waiting_list():
    session = TrainingSessionPage.objects.get(slug="jeux-mathematiques-cycle-2")
    assert session.dates.get().start > timezone.now()
    statuses = list(
        Registration.objects.filter(session=session).values_list(
            "user__username", "status"
        )
    )
    registered = [name for name, status in statuses if status == "registered"]
    waiting = [name for name, status in statuses if status == "waiting"]
    assert len(registered) == session.capacity == 3
    assert waiting == ["ens.benoit", "ens.blanc"]


def hours_present(username, session):
    return Attendance.objects.filter(
        registration__session=session,
        registration__user=user(username),
        present=True,
    ).aggregate(total=Sum("date__hours"))["total"] or decimal.Decimal(0)


def test_the_past_session_has_its_attendance_marked():
    session = TrainingSessionPage.objects.get(slug="comprendre-les-textes-lus")
    assert session.dates.count() == 2
    assert session.hours == 6
    assert all(date.start < timezone.now() for date in session.dates.all())
    assert hours_present("ens.moreau", session) == 6
    assert hours_present("ens.blanc", session) == 3
    assert session.shared_resources.exists()


def test_outside_hours_one_waiting_one_validated():
    statuses = set(ExternalHours.objects.values_list("user__username", "status"))
    assert ("ens.moreau", "pending") in statuses
    assert ("ens.garnier", "validated") in statuses
