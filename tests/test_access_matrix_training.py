"""The access matrix of the training space (issue 17): who sees which
session, on every channel, for every role of ``test_access_matrix``.

As there, the expected visibility is written out from the audience table of
the design, not computed by the code under test. Every session carries a
unique word; each response fetched for a person is checked for the words of
every session they may not see. (Events have theirs in ``test_agenda``.)

Channels: the session page, « Formations », « Mon fil », search, the
sitemap, the public and personal iCal feeds, registering, the participants'
list, the attendance views and the hours follow-up.
"""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from agenda.models import CalendarFeed
from schools.models import SchoolPage
from tests.factories import TrainingSessionPageFactory
from tests.test_access_matrix import (
    ALL_DIRECTORS,
    ALL_STAFF,
    ROLES,
    STAFF_OF_S,
)
from training.models import Attendance, Registration, TrainingIndexPage
from visibility.audience import Audience

# (targeted to S or not, audience) -> who may see the session.
SESSIONS = {
    ("district", Audience.STAFF): ALL_STAFF,
    ("district", Audience.DIRECTORS): ALL_DIRECTORS,
    ("for S", Audience.STAFF): STAFF_OF_S,
    ("for S", Audience.DIRECTORS): {"director of S", "district team"},
}
# Who registers in each session: a teacher it is for, never the reader
# checked (the participants' names are the team's alone).
PARTICIPANT = {
    ("district", Audience.STAFF): "ens.blanc",
    ("district", Audience.DIRECTORS): "dir.chevalier",
    ("for S", Audience.STAFF): "ens.garnier",
    ("for S", Audience.DIRECTORS): "dir.lefevre",
}
TEAM = "district team"


def session_word(target, audience):
    return "formation" + target.replace(" ", "") + audience


def full_name(username):
    return get_user_model().objects.get(username=username).get_full_name()


class TrainingAccessMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        index = TrainingIndexPage.objects.get()
        jules_ferry = SchoolPage.objects.get(slug="jules-ferry")
        start = timezone.now().replace(
            hour=9, minute=0, second=0, microsecond=0
        ) + datetime.timedelta(days=20)
        cls.sessions = {}
        for target, audience in SESSIONS:
            unique = session_word(target, audience)
            session = TrainingSessionPageFactory(
                parent=index,
                title=f"Session {unique}",
                slug=f"session-{unique}",
                audience=audience,
                description=f"<p>Le mot {unique} ne doit pas fuir.</p>",
                dates=[(start, 3)],
            )
            if target == "for S":
                session.target_schools.set([jules_ferry])
                session.save_revision().publish()
            registration = Registration.objects.create(
                session=session,
                user=get_user_model().objects.get(
                    username=PARTICIPANT[target, audience]
                ),
                status=Registration.Status.REGISTERED,
            )
            Attendance.objects.create(
                registration=registration, date=session.dates.get(), present=True
            )
            cls.sessions[target, audience] = session

    def client_for(self, role):
        client = self.client_class()
        if ROLES[role]:
            client.force_login(get_user_model().objects.get(username=ROLES[role]))
        return client

    def assert_no_foreign_words(self, role, body, channel):
        for key, seen_by in SESSIONS.items():
            if role not in seen_by:
                self.assertNotIn(
                    session_word(*key), body, f"{role} sees {key} via {channel}"
                )

    def test_session_pages(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in SESSIONS.items():
                with self.subTest(role=role, session=key):
                    response = client.get(self.sessions[key].url)
                    if role in seen_by:
                        self.assertContains(response, session_word(*key))
                    elif role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                    else:
                        self.assertEqual(response.status_code, 403)
                    self.assert_no_foreign_words(
                        role, response.content.decode(), "page"
                    )

    def test_listings_feed_search_and_sitemap(self):
        for role in ROLES:
            client = self.client_for(role)
            bodies = {"/formations/": client.get("/formations/").content.decode()}
            if ROLES[role]:
                bodies["/mon-fil/"] = client.get("/mon-fil/").content.decode()
            for key in SESSIONS:
                # The search page repeats what was asked: that word aside.
                bodies[f"search {key}"] = (
                    client.get("/recherche/", {"q": session_word(*key)})
                    .content.decode()
                    .replace(session_word(*key), "")
                )
            bodies["sitemap"] = client.get("/sitemap.xml").content.decode()
            bodies["public iCal"] = client.get(
                reverse("agenda:public_feed")
            ).content.decode()
            for key, seen_by in SESSIONS.items():
                with self.subTest(role=role, session=key):
                    self.assertEqual(
                        session_word(*key) in bodies["/formations/"], role in seen_by
                    )
                    found = "1 résultat" in bodies[f"search {key}"]
                    self.assertEqual(found, role in seen_by)
            for channel, body in bodies.items():
                self.assert_no_foreign_words(role, body, channel)
            for key in SESSIONS:
                # Never on a public channel.
                self.assertNotIn(session_word(*key), bodies["sitemap"])
                self.assertNotIn(session_word(*key), bodies["public iCal"])

    def test_personal_feed_holds_ones_own_sessions(self):
        client = self.client_class()
        for key, session in self.sessions.items():
            for username in {*PARTICIPANT.values(), "ens.moreau", "famille.leroy"}:
                feed = CalendarFeed.of(get_user_model().objects.get(username=username))
                body = client.get(
                    reverse("agenda:personal_feed", args=[feed.token])
                ).content.decode()
                with self.subTest(session=key, username=username):
                    self.assertEqual(
                        session.title in body, username == PARTICIPANT[key]
                    )

    def test_registering(self):
        for role, username in ROLES.items():
            client = self.client_for(role)
            for key, seen_by in SESSIONS.items():
                session = self.sessions[key]
                if username == PARTICIPANT[key]:
                    continue
                with self.subTest(role=role, session=key):
                    response = client.post(
                        reverse("training:register", args=[session.pk])
                    )
                    registered = Registration.objects.filter(
                        session=session, user__username=username
                    ).exists()
                    may_register = role in seen_by and role != TEAM
                    self.assertEqual(registered, may_register)
                    if role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                        self.assertIn("/connexion/", response["Location"])
                    elif role not in seen_by:
                        self.assertEqual(response.status_code, 403)
                        self.assertNotIn(session.title, response.content.decode())

    def test_participants_and_attendance_are_the_teams(self):
        for role in ROLES:
            client = self.client_for(role)
            for key in SESSIONS:
                session = self.sessions[key]
                participant = PARTICIPANT[key]
                if ROLES[role] == participant:
                    continue
                name = full_name(participant)
                with self.subTest(role=role, session=key):
                    body = client.get(session.url).content.decode()
                    self.assertEqual(name in body, role == TEAM)
                    for view in ("training:attendance", "training:attendance_sheet"):
                        response = client.get(reverse(view, args=[session.pk]))
                        if role == TEAM:
                            self.assertEqual(response.status_code, 200)
                        elif role == "anonymous":
                            self.assertEqual(response.status_code, 302)
                            self.assertIn("/connexion/", response["Location"])
                        else:
                            self.assertEqual(response.status_code, 404)

    def test_hours_follow_up(self):
        """Who sees whose hours: the team everyone's, a director their
        school's teachers, nobody else anyone's."""
        # Listed by last name, then first name.
        garnier, benoit, blanc = (
            "{0.last_name} {0.first_name}".format(
                get_user_model().objects.get(username=username)
            )
            for username in ("ens.garnier", "ens.benoit", "ens.blanc")
        )
        seen = {
            TEAM: {garnier, benoit, blanc},
            "director of S": {garnier},
            "director of another school": {benoit},
        }
        for role in ROLES:
            client = self.client_for(role)
            response = client.get(reverse("training:follow_up"))
            with self.subTest(role=role):
                if role not in seen:
                    self.assertIn(response.status_code, {302, 404})
                    continue
                body = response.content.decode()
                for name in (garnier, benoit, blanc):
                    self.assertEqual(name in body, name in seen[role])

    def test_personal_feed_drops_a_session_closed_to_its_participant(self):
        """A session reserved to another school since is gone from its
        participant's feed on the next request."""
        session = self.sessions["district", Audience.STAFF]
        feed = CalendarFeed.of(get_user_model().objects.get(username="ens.blanc"))
        address = reverse("agenda:personal_feed", args=[feed.token])
        self.assertContains(self.client.get(address), session.title)
        session.target_schools.set([SchoolPage.objects.get(slug="jules-ferry")])
        session.save_revision().publish()
        self.assertNotContains(self.client.get(address), session.title)
