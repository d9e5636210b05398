"""The agenda on every channel, for every role: an event's page, the
agenda's page, the school and class pages, the home page's « À venir »,
search, the sitemap and both iCal feeds show an event to those its audience
admits, and to nobody else."""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from icalendar import Calendar

from agenda.models import AgendaIndexPage, CalendarFeed, EventPage
from schools.models import ClassroomPage, SchoolPage
from tests.factories import EventPageFactory
from visibility.audience import Audience

ROLES = {
    "visitor": None,
    "family of C": "famille.leroy",
    "family of another school": "famille.petit",
    "teacher of C": "ens.moreau",
    "teacher of another class of S": "ens.garnier",
    "director of S": "dir.lefevre",
    "district team": "ien.dubois",
}
EVERYONE = set(ROLES)
MEMBERS = EVERYONE - {"visitor"}
COMMUNITY_OF_S = {
    "family of C",
    "teacher of C",
    "teacher of another class of S",
    "director of S",
    "district team",
}
STAFF = {
    "teacher of C",
    "teacher of another class of S",
    "director of S",
    "district team",
}
COMMUNITY_OF_C = {"family of C", "teacher of C", "director of S", "district team"}
STAFF_OF_C = {"teacher of C", "director of S", "district team"}

# (scope, audience) -> who may see it. S is Jules-Ferry, C its CP class.
EXPECTED = {
    ("district", Audience.PUBLIC): EVERYONE,
    ("district", Audience.COMMUNITY): MEMBERS,
    ("district", Audience.STAFF): STAFF,
    ("school", Audience.PUBLIC): EVERYONE,
    ("school", Audience.COMMUNITY): COMMUNITY_OF_S,
    ("class", Audience.COMMUNITY): COMMUNITY_OF_C,
    ("class", Audience.STAFF): STAFF_OF_C,
}


def word(scope, audience):
    return "agenda" + scope + audience


def in_days(days, hour=18):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def parsed(response):
    return Calendar.from_ical(response.content)


def summaries(calendar):
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


class AgendaChannelsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The demo's own events would come first on the home page.
        EventPage.objects.all().delete()
        parents = {
            "district": AgendaIndexPage.objects.get(),
            "school": SchoolPage.objects.get(slug="jules-ferry"),
            "class": ClassroomPage.objects.get(slug="cp-moreau"),
        }
        cls.events = {}
        for number, (scope, audience) in enumerate(EXPECTED):
            unique = word(scope, audience)
            cls.events[scope, audience] = EventPageFactory(
                parent=parents[scope],
                title=f"Rendez-vous {unique}",
                slug=f"rdv-{unique}",
                audience=audience,
                start=in_days(3 + number),
                end=in_days(3 + number, hour=20),
                place=f"Salle {unique}",
            )

    def client_for(self, role):
        client = self.client_class()
        if ROLES[role]:
            client.force_login(get_user_model().objects.get(username=ROLES[role]))
        return client

    def assert_only_theirs(self, role, body, channel, everything=True):
        for key, seen_by in EXPECTED.items():
            with self.subTest(role=role, channel=channel, event=key):
                if role not in seen_by:
                    self.assertNotIn(word(*key), body)
                elif everything:
                    self.assertIn(word(*key), body)

    def test_event_pages(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, event=key):
                    response = client.get(self.events[key].url)
                    if role in seen_by:
                        self.assertEqual(response.status_code, 200)
                        self.assertContains(response, f"Salle {word(*key)}")
                    elif role == "visitor":
                        self.assertEqual(response.status_code, 302)
                        self.assertTrue(response["Location"].startswith("/connexion/"))
                    else:
                        self.assertEqual(response.status_code, 403)
                        self.assertNotIn(word(*key), response.content.decode())

    def test_the_agenda_page_lists_what_each_may_see(self):
        for role in ROLES:
            body = self.client_for(role).get("/agenda/").content.decode()
            self.assert_only_theirs(role, body, "/agenda/")

    def test_school_and_class_pages(self):
        for role in ROLES:
            client = self.client_for(role)
            school = client.get("/ecoles/jules-ferry/").content.decode()
            self.assert_only_theirs(role, school, "school page", everything=False)
            for key in [("school", Audience.PUBLIC), ("class", Audience.COMMUNITY)]:
                with self.subTest(role=role, event=key):
                    self.assertEqual(word(*key) in school, role in EXPECTED[key])
            response = client.get("/ecoles/jules-ferry/cp-moreau/")
            if response.status_code == 200:
                body = response.content.decode()
                self.assert_only_theirs(role, body, "class page", everything=False)
                self.assertIn(word("class", Audience.COMMUNITY), body)

    def test_the_home_page_shows_the_next_five(self):
        for role in ROLES:
            body = self.client_for(role).get("/").content.decode()
            self.assertIn("À venir", body)
            self.assert_only_theirs(role, body, "home", everything=False)
            shown = [key for key in EXPECTED if word(*key) in body]
            expected = [key for key, seen_by in EXPECTED.items() if role in seen_by]
            with self.subTest(role=role):
                self.assertEqual(shown, expected[:5])

    def test_search(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, event=key):
                    response = client.get("/recherche/", {"q": word(*key)})
                    body = response.content.decode()
                    self.assertEqual(
                        f"Rendez-vous {word(*key)}" in body, role in seen_by
                    )

    def test_the_sitemap_and_public_feed_hold_public_events_only(self):
        public = {key for key, seen_by in EXPECTED.items() if seen_by == EVERYONE}
        for role in ROLES:
            client = self.client_for(role)
            sitemap = client.get("/sitemap.xml").content.decode()
            feed = client.get("/agenda/public.ics")
            self.assertEqual(feed["Content-Type"], "text/calendar; charset=utf-8")
            titles = summaries(parsed(feed))
            for key in EXPECTED:
                with self.subTest(role=role, event=key):
                    self.assertEqual(self.events[key].slug in sitemap, key in public)
                    self.assertEqual(
                        f"Rendez-vous {word(*key)}" in titles, key in public
                    )

    def test_personal_feeds(self):
        for role, username in ROLES.items():
            if username is None:
                continue
            owner = get_user_model().objects.get(username=username)
            feed = CalendarFeed.of(owner)
            response = self.client_class().get(f"/agenda/flux/{feed.token}.ics")
            self.assertEqual(response.status_code, 200)
            self.assertIn("no-store", response["Cache-Control"])
            self.assertIn("private", response["Cache-Control"])
            titles = summaries(parsed(response))
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, event=key):
                    self.assertEqual(
                        f"Rendez-vous {word(*key)}" in titles, role in seen_by
                    )
