"""The agenda's dates: repetitions skipping school holidays, the listing's
queries, and the iCal feeds read back by a calendar (RFC 5545): the time
zone, repetitions with the dates they skip, the personal feed following a
person's access at once."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from agenda.listing import upcoming
from agenda.models import AgendaIndexPage, CalendarFeed, SchoolHoliday
from departures.access import pupil_left
from pupils.models import Pupil
from schools.models import ClassroomPage
from tests.conftest import login, user
from tests.factories import EventPageFactory, TrainingSessionPageFactory
from training.models import Registration, TrainingIndexPage
from visibility.audience import Audience, access_for

PARIS = timezone.get_default_timezone()


def paris(*args):
    return timezone.make_aware(datetime.datetime(*args), PARIS)


@pytest.fixture
def christmas(db):
    return SchoolHoliday.objects.create(
        name="Vacances de Noël",
        first_day=datetime.date(2026, 12, 19),
        last_day=datetime.date(2027, 1, 3),
    )


@pytest.fixture
def choir(christmas):
    """A public choir every Tuesday at 17 h, in term time, until late January."""
    return EventPageFactory(
        parent=AgendaIndexPage.objects.get(),
        title="Chorale de la circonscription",
        audience=Audience.PUBLIC,
        start=paris(2026, 12, 8, 17),
        end=paris(2026, 12, 8, 18),
        repeat="weekly",
        repeat_until=datetime.date(2027, 1, 26),
    )


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def vevent(calendar, summary):
    return next(
        event for event in calendar.walk("VEVENT") if str(event["SUMMARY"]) == summary
    )


def expanded(event):
    """The starts a calendar application computes: RRULE minus EXDATE."""
    start = event.decoded("DTSTART")
    rules = rruleset()
    rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
    exdates = event.get("EXDATE")
    for exdate in exdates if isinstance(exdates, list) else [exdates]:
        for moment in exdate.dts:
            rules.exdate(moment.dt)
    return list(rules)


TUESDAYS_IN_TERM = [
    paris(2026, 12, 8, 17),
    paris(2026, 12, 15, 17),
    paris(2027, 1, 5, 17),
    paris(2027, 1, 12, 17),
    paris(2027, 1, 19, 17),
    paris(2027, 1, 26, 17),
]


def test_a_repeating_event_skips_the_holidays(choir):
    assert choir.starts() == TUESDAYS_IN_TERM
    assert choir.skipped_starts() == [paris(2026, 12, 22, 17), paris(2026, 12, 29, 17)]
    assert choir.repeat_description() == (
        "Tous les mardis, hors vacances scolaires, jusqu'au 26 janvier 2027"
    )


def test_the_event_page_says_how_it_repeats_and_its_next_dates(client, choir):
    page = client.get(choir.url).content.decode()
    assert "Tous les mardis, hors vacances scolaires, jusqu&#x27;au 26 janvier" in page
    assert "Prochaines dates" in page
    assert "mardi 15 décembre 2026, de 17 h 00 à 18 h 00" in page
    assert "mardi 22 décembre 2026" not in page
    assert "Public" in page


def test_the_public_feed_is_a_valid_calendar(client, choir):
    calendar = feed(client, "/agenda/public.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == "Agenda de la circonscription"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == [
        "Europe/Paris"
    ]
    event = vevent(calendar, "Chorale de la circonscription")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].params["TZID"] == "Europe/Paris"
    assert str(event["UID"]) == f"event-{choir.translation_key}@testserver"
    assert event["DTSTAMP"]
    assert str(event["URL"]).endswith(choir.url)
    assert event["RRULE"]["UNTIL"][0].tzinfo is not None  # UTC, as RFC 5545 asks
    assert expanded(event) == TUESDAYS_IN_TERM


def test_an_all_day_event_is_given_as_dates(client, db):
    EventPageFactory(
        parent=AgendaIndexPage.objects.get(),
        title="Classe de neige",
        audience=Audience.PUBLIC,
        start=paris(2027, 2, 1, 8),
        end=paris(2027, 2, 3, 18),
        all_day=True,
    )
    event = vevent(feed(client, "/agenda/public.ics"), "Classe de neige")
    assert event.decoded("DTSTART") == datetime.date(2027, 2, 1)
    assert event.decoded("DTEND") == datetime.date(2027, 2, 4)  # exclusive


def test_the_listing_reads_events_and_holidays_in_two_queries(
    choir, django_assert_num_queries
):
    school = ClassroomPage.objects.get(slug="cp-moreau").get_parent()
    for number in range(4):
        EventPageFactory(
            parent=school,
            audience=Audience.PUBLIC,
            start=paris(2026, 12, 10 + number, 9),
            end=paris(2026, 12, 10 + number, 10),
            repeat="weekly",
            repeat_until=datetime.date(2027, 3, 1),
        )
    family = user("famille.leroy")
    start = paris(2026, 12, 7, 8)
    upcoming(family, start=start, days=60)  # resolves the person's access once
    with django_assert_num_queries(2):
        found = upcoming(family, start=start, days=60)
    assert len(found) > 20
    assert [each.start for each in found] == sorted(each.start for each in found)
    assert access_for(family).family_classes


def test_past_events_are_left_out(db):
    EventPageFactory(
        parent=AgendaIndexPage.objects.get(),
        title="Réunion passée",
        audience=Audience.PUBLIC,
        start=timezone.now() - datetime.timedelta(days=3),
        end=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    titles = [each.event.title for each in upcoming(user("famille.leroy"))]
    assert "Réunion passée" not in titles


def test_the_personal_feed_holds_the_training_dates_of_its_owner(client, db):
    teacher = user("ens.moreau")
    session = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(),
        title="Le numérique en classe",
        dates=[(paris(2027, 1, 13, 9), 3), (paris(2027, 1, 27, 9), 3)],
    )
    Registration.objects.create(
        session=session, user=teacher, status=Registration.Status.REGISTERED
    )
    waiting = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(), title="Les maths autrement"
    )
    Registration.objects.create(
        session=waiting, user=teacher, status=Registration.Status.WAITING
    )
    calendar = feed(client, f"/agenda/flux/{CalendarFeed.of(teacher).token}.ics")
    trainings = [
        event
        for event in calendar.walk("VEVENT")
        if str(event["SUMMARY"]) == "Formation : Le numérique en classe"
    ]
    assert [event.decoded("DTSTART") for event in trainings] == [
        paris(2027, 1, 13, 9),
        paris(2027, 1, 27, 9),
    ]
    assert str(trainings[0]["LOCATION"]) == "Salle de la circonscription"
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Formation : Les maths autrement" not in summaries
    assert str(calendar["X-WR-CALNAME"]) == "Mon agenda de l'ENT"


def class_event():
    return EventPageFactory(
        parent=ClassroomPage.objects.get(slug="cp-moreau"),
        title="Sortie à la ferme du CP",
        audience=Audience.COMMUNITY,
    )


def titles_in(client, token):
    response = client.get(f"/agenda/flux/{token}.ics")
    return response.status_code, {
        str(event["SUMMARY"])
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    } if response.status_code == 200 else set()


def test_a_family_whose_child_leaves_loses_the_class_events_at_once(client, db):
    class_event()
    family = user("famille.leroy")
    token = CalendarFeed.of(family).token
    assert "Sortie à la ferme du CP" in titles_in(client, token)[1]
    for pupil in Pupil.objects.filter(families=family):
        pupil_left(pupil, by=user("dir.lefevre"))
    assert "Sortie à la ferme du CP" not in titles_in(client, token)[1]


def test_an_inactive_or_deleted_account_or_unknown_token_is_a_404(client, db):
    family = user("famille.leroy")
    token = CalendarFeed.of(family).token
    assert client.get("/agenda/flux/inconnu.ics").status_code == 404
    family.is_active = False
    family.save()
    assert client.get(f"/agenda/flux/{token}.ics").status_code == 404
    family.is_active = True
    family.save()
    assert client.get(f"/agenda/flux/{token}.ics").status_code == 200
    family.delete()
    assert client.get(f"/agenda/flux/{token}.ics").status_code == 404


def test_changing_the_address_stops_the_old_one(client, db):
    login(client, "famille.leroy")
    page = client.get("/mon-compte/").content.decode()
    old = CalendarFeed.of(user("famille.leroy")).token
    assert "Mon agenda" in page
    assert f"/agenda/flux/{old}.ics" in page
    assert f"webcal://testserver/agenda/flux/{old}.ics" in page
    response = client.post("/agenda/changer-adresse/", follow=True)
    assert "Votre agenda a une nouvelle adresse" in response.content.decode()
    new = CalendarFeed.of(user("famille.leroy")).token
    assert new != old
    assert client.get(f"/agenda/flux/{old}.ics").status_code == 404
    assert client.get(f"/agenda/flux/{new}.ics").status_code == 200
    assert f"/agenda/flux/{new}.ics" in response.content.decode()


def test_changing_the_address_asks_for_a_post_and_a_login(client, db):
    assert client.post("/agenda/changer-adresse/").status_code == 302
    assert not CalendarFeed.objects.exists()
    login(client, "famille.leroy")
    # A GET (after logging in again) leads to « Mon compte » and resets nothing.
    response = client.get("/agenda/changer-adresse/")
    assert response.status_code == 302
    assert response.url == "/mon-compte/"
    assert not CalendarFeed.objects.exists()


def test_the_personal_feed_is_never_cached(client, db):
    token = CalendarFeed.of(get_user_model().objects.get(username="famille.leroy"))
    response = client.get(f"/agenda/flux/{token.token}.ics")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_event_held_only_in_the_holidays_is_refused_and_never_breaks(client, db):
    """Every Monday of the Christmas holidays, in term time only: no date
    left once the holidays are entered. Saving then says so, and the page
    saved before still shows."""
    SchoolHoliday.objects.all().delete()  # the demo's
    event = EventPageFactory(
        parent=AgendaIndexPage.objects.get(),
        title="Atelier des vacances",
        audience=Audience.PUBLIC,
        start=paris(2026, 12, 21, 10),
        end=paris(2026, 12, 21, 12),
        repeat="weekly",
        repeat_until=datetime.date(2027, 1, 1),
    )
    SchoolHoliday.objects.create(
        name="Vacances de Noël",
        first_day=datetime.date(2026, 12, 19),
        last_day=datetime.date(2027, 1, 3),
    )
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert refused.value.message_dict["term_time_only"] == [
        "Toutes les dates de cet événement tombent pendant les vacances scolaires."
    ]
    response = client.get(event.url)
    assert response.status_code == 200
    assert "Atelier des vacances" in response.content.decode()
