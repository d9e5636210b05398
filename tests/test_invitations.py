"""Invitations (issue 15, item 3): activation e-mails with a signed link
that works once and expires, printable login sheets with one-time codes,
choosing a password on the public site, and the director's view of who has
activated their account."""

import io
import re
from datetime import timedelta

from django.contrib import messages
from django.core import mail
from django.test import TestCase
from django.utils import timezone

import time_machine
from pypdf import PdfReader

from accounts.models import Membership
from invitations.models import Invitation
from invitations.views import CODE_SESSION_KEY
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import user
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "Cartable-Bleu-2026!"
LINK = re.compile(r"https?://[^/\s]+(/activer/\S+/)")
CODE = re.compile(r"Code à usage unique : ([A-Z0-9]{5}-[A-Z0-9]{5})")
INDEX = "/admin/invitations/"
SEND_ALL = "/admin/invitations/envoyer/"


def new_account(username, classroom, email=True, role=Membership.Role.FAMILY):
    """An account as the ONDE import creates it: active, no password yet."""
    person = UserFactory(
        username=username, email=f"{username}@exemple.fr" if email else ""
    )
    person.set_unusable_password()
    person.save()
    MembershipFactory(user=person, classroom=classroom, role=role)
    return person


def flashed(response):
    return [str(message) for message in messages.get_messages(response.wsgi_request)]


def text_of(pdf):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def code_of(pages, username):
    """The code printed on ``username``'s page."""
    (page,) = [text for text in pages if f"Identifiant : {username}\n" in text]
    return CODE.search(page).group(1)


class InvitationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cp = ClassroomPage.objects.get(slug="cp-moreau")
        cls.foreign_class = ClassroomPage.objects.get(slug="ps-ms-chevalier")
        cls.family = new_account("famille.durand", cls.cp)
        cls.teacher = new_account("ens.blanc", cls.cp, role=Membership.Role.TEACHER)
        cls.paper = new_account("famille.kone", cls.cp, email=False)
        cls.paper_too = new_account("famille.roussel", cls.cp, email=False)
        cls.foreign = new_account("famille.fabre", cls.foreign_class)

    def invite_all(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(SEND_ALL, data)

    def link_for(self, person):
        bodies = [m.body for m in mail.outbox if m.to == [person.email]]
        return LINK.search(bodies[-1]).group(1)

    def print_sheets(self, classroom=None):
        classroom = classroom or self.cp
        return self.client.post(f"/admin/invitations/classe/{classroom.pk}/fiches/")


class ActivationEmailTests(InvitationTestCase):
    def setUp(self):
        self.client.force_login(user("dir.lefevre"))

    def test_a_click_invites_everyone_not_activated_of_the_school_once(self):
        response = self.invite_all()
        self.assertRedirects(response, INDEX, fetch_redirect_response=False)
        self.assertEqual(
            flashed(response),
            ["Des invitations sont en cours d’envoi à 2 personnes."],
        )
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            [self.teacher.email, self.family.email],
        )
        message = next(m for m in mail.outbox if m.to == [self.family.email])
        self.assertEqual(
            message.subject, "ENT de circonscription : activez votre compte"
        )
        self.assertIn("Bonjour", message.body)
        self.assertIn("Votre identifiant est : famille.durand", message.body)
        self.assertIn("http://testserver/activer/", message.body)
        self.assertNotIn("/admin/", message.body)
        # A double click, or a colleague's, sends nothing twice.
        again = self.invite_all()
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("Personne n’a été invité", flashed(again)[-1])

    def test_the_link_lets_the_family_choose_a_password_once(self):
        self.invite_all()
        link = self.link_for(self.family)
        self.client.logout()
        opened = self.client.get(link)
        # The token leaves the address before the page is shown.
        self.assertEqual(opened.status_code, 302)
        form_url = opened["Location"]
        self.assertTrue(form_url.endswith("/mot-de-passe/"))
        page = self.client.get(form_url)
        self.assertContains(page, "Choisissez votre mot de passe")
        self.assertContains(page, "famille.durand")
        # The password rules of the settings apply; nothing changes.
        weak = self.client.post(
            form_url, {"new_password1": "123", "new_password2": "123"}
        )
        self.assertEqual(weak.status_code, 200)
        self.assertContains(weak, "Ce mot de passe est trop faible")
        self.family.refresh_from_db()
        self.assertFalse(self.family.has_usable_password())
        done = self.client.post(
            form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD}
        )
        self.assertRedirects(done, "/mon-fil/", fetch_redirect_response=False)
        feed = self.client.get("/mon-fil/")
        self.assertContains(feed, "Votre compte est activé")
        self.assertEqual(feed.wsgi_request.user, self.family)
        self.family.refresh_from_db()
        self.assertTrue(self.family.check_password(PASSWORD))
        # Used: the same link now says so and changes nothing.
        self.client.logout()
        used = self.client.get(link, follow=True)
        self.assertContains(used, "Cette invitation n’est plus valable")
        self.assertContains(used, "Demandez à l’école une nouvelle invitation")
        self.assertNotContains(used, "new_password1")

    def test_a_newer_invitation_voids_the_older_link(self):
        self.invite_all()
        old = self.link_for(self.family)
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(
                    f"/admin/invitations/{self.family.pk}/renvoyer/"
                )
            self.assertEqual(
                flashed(response)[-1],
                "Une invitation est en cours d’envoi à 1 personne.",
            )
            new = self.link_for(self.family)
            self.assertNotEqual(old, new)
            self.client.logout()
            self.assertContains(
                self.client.get(old, follow=True), "Cette invitation n’est plus valable"
            )
            self.assertContains(
                self.client.get(new, follow=True), "Choisissez votre mot de passe"
            )

    def test_sending_again_within_five_minutes_sends_nothing(self):
        self.invite_all()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/admin/invitations/{self.family.pk}/renvoyer/")
        self.assertEqual(len(mail.outbox), 2)

    def test_the_link_expires_after_the_invitation_days(self):
        self.invite_all()
        link = self.link_for(self.family)
        self.client.logout()
        with time_machine.travel(timezone.now() + timedelta(days=13)):
            self.assertContains(
                self.client.get(link, follow=True), "Choisissez votre mot de passe"
            )
        self.client.cookies.clear()
        with time_machine.travel(timezone.now() + timedelta(days=15)):
            expired = self.client.get(link, follow=True)
            self.assertContains(expired, "Cette invitation n’est plus valable")

    def test_a_forged_link_opens_nothing(self):
        self.invite_all()
        link = self.link_for(self.family)
        self.client.logout()
        forged = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
        response = self.client.get(forged, follow=True)
        self.assertContains(response, "Cette invitation n’est plus valable")
        other = self.client.get(
            link.replace(link.split("/")[2], "OTk5OTk5"), follow=True
        )
        self.assertContains(other, "Cette invitation n’est plus valable")

    def test_an_activated_account_is_not_invited(self):
        self.family.set_password(PASSWORD)
        self.family.save()
        self.invite_all()
        self.assertEqual([m.to for m in mail.outbox], [[self.teacher.email]])


class LoginSheetTests(InvitationTestCase):
    def setUp(self):
        self.client.force_login(user("dir.lefevre"))

    def use_code(self, username, code, client=None):
        client = client or self.client_class()
        answer = client.post(
            "/activer-mon-compte/", {"username": username, "code": code}
        )
        return client, answer

    def test_one_page_per_family_without_e_mail_with_a_code_that_works_once(self):
        response = self.print_sheets()
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        pages = text_of(response.content)
        self.assertEqual(len(pages), 2)
        self.assertEqual(
            sorted(re.findall(r"Identifiant : (\S+)", "".join(pages))),
            ["famille.kone", "famille.roussel"],
        )
        for text in pages:
            self.assertIn("Adresse du site : http://testserver/\n", text)
            self.assertIn(
                "Page d’activation : http://testserver/activer-mon-compte/", text
            )
            self.assertIn("Activer mon compte", text)
            self.assertIn("Vos données personnelles", text)
            self.assertIn("CP de Mme Moreau", text)
        self.assertNotIn("famille.durand", "".join(pages))
        code = code_of(pages, "famille.kone")
        invitation = Invitation.objects.get(user=self.paper)
        self.assertNotIn(code.replace("-", ""), invitation.code_hash)
        self.assertIsNotNone(invitation.printed_at)

        family, answer = self.use_code("famille.kone", code.lower().replace("-", " "))
        self.assertRedirects(
            answer, "/activer-mon-compte/mot-de-passe/", fetch_redirect_response=False
        )
        done = family.post(
            "/activer-mon-compte/mot-de-passe/",
            {"new_password1": PASSWORD, "new_password2": PASSWORD},
        )
        self.assertRedirects(done, "/mon-fil/", fetch_redirect_response=False)
        self.assertContains(family.get("/mon-fil/"), "Votre compte est activé")
        self.paper.refresh_from_db()
        self.assertTrue(self.paper.check_password(PASSWORD))
        _client, again = self.use_code("famille.kone", code)
        self.assertEqual(again.status_code, 400)
        self.assertContains(
            again, "Cet identifiant et ce code n’ouvrent aucun compte", status_code=400
        )

    def test_printing_again_replaces_the_codes(self):
        first = code_of(text_of(self.print_sheets().content), "famille.kone")
        second = code_of(text_of(self.print_sheets().content), "famille.kone")
        self.assertNotEqual(first, second)
        _client, old = self.use_code("famille.kone", first)
        self.assertEqual(old.status_code, 400)
        _client, new = self.use_code("famille.kone", second)
        self.assertEqual(new.status_code, 302)

    def test_a_code_expires(self):
        code = code_of(text_of(self.print_sheets().content), "famille.kone")
        with time_machine.travel(timezone.now() + timedelta(days=61)):
            _client, late = self.use_code("famille.kone", code)
        self.assertEqual(late.status_code, 400)
        self.paper.refresh_from_db()
        self.assertFalse(self.paper.has_usable_password())

    def test_an_accepted_code_used_up_elsewhere_sets_no_password(self):
        code = code_of(text_of(self.print_sheets().content), "famille.kone")
        first, _answer = self.use_code("famille.kone", code)
        # The director prints again before the family chose its password.
        self.print_sheets()
        stale = first.post(
            "/activer-mon-compte/mot-de-passe/",
            {"new_password1": PASSWORD, "new_password2": PASSWORD},
        )
        self.assertContains(
            stale, "Cette invitation n’est plus valable", status_code=400
        )
        self.paper.refresh_from_db()
        self.assertFalse(self.paper.has_usable_password())

    def test_an_unknown_username_gets_the_same_answer_as_a_wrong_code(self):
        self.print_sheets()
        _client, unknown = self.use_code("personne.inconnue", "AAAAA-BBBBB")
        _client, wrong = self.use_code("famille.kone", "AAAAA-BBBBB")
        self.assertEqual(unknown.status_code, wrong.status_code)
        self.assertEqual(
            unknown.context["form"].non_field_errors(),
            wrong.context["form"].non_field_errors(),
        )
        self.assertEqual(unknown.status_code, 400)

    def test_guessing_from_one_address_is_stopped(self):
        code = code_of(text_of(self.print_sheets().content), "famille.kone")
        client = self.client_class(REMOTE_ADDR="192.0.2.1")
        for attempt in range(5):
            self.use_code(f"famille.inconnue{attempt}", "AAAAA-BBBBB", client)
        _client, locked = self.use_code("famille.kone", code, client)
        self.assertContains(locked, "Trop de tentatives", status_code=429)
        self.assertNotIn(CODE_SESSION_KEY, client.session)
        _client, elsewhere = self.use_code(
            "famille.kone", code, self.client_class(REMOTE_ADDR="192.0.2.2")
        )
        self.assertEqual(elsewhere.status_code, 302)

    def test_guessing_one_username_from_many_addresses_is_stopped(self):
        code = code_of(text_of(self.print_sheets().content), "famille.kone")
        for attempt in range(5):
            self.use_code(
                "Famille.Kone",
                "AAAAA-BBBBB",
                self.client_class(REMOTE_ADDR=f"192.0.2.{attempt + 10}"),
            )
        _client, locked = self.use_code(
            "famille.kone", code, self.client_class(REMOTE_ADDR="192.0.2.99")
        )
        self.assertContains(locked, "Trop de tentatives", status_code=429)
        self.paper.refresh_from_db()
        self.assertFalse(self.paper.has_usable_password())

    def test_a_class_without_sheets_to_print_says_so(self):
        for person in (self.paper, self.paper_too):
            person.set_password(PASSWORD)
            person.save()
        response = self.print_sheets()
        self.assertRedirects(
            response, f"{INDEX}?classe={self.cp.pk}", fetch_redirect_response=False
        )
        self.assertIn("Aucune fiche à imprimer", flashed(response)[0])


class DirectorViewTests(InvitationTestCase):
    def test_states_of_the_school_filtered_by_class(self):
        self.client.force_login(user("dir.lefevre"))
        listing = self.client.get(INDEX)
        self.assertContains(listing, "À inviter")
        self.assertContains(listing, "Compte activé")
        self.assertNotContains(listing, "famille.fabre")
        self.invite_all(classe=self.cp.pk)
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            self.print_sheets()
        listing = self.client.get(INDEX, {"classe": self.cp.pk})
        self.assertContains(listing, "Invitation envoyée le")
        self.assertContains(listing, "Feuille imprimée le")
        rows = listing.context["rows"]
        self.assertTrue(all(row.classroom_id == self.cp.pk for row in rows))

    def test_nothing_of_another_school(self):
        self.client.force_login(user("dir.lefevre"))
        foreign = self.foreign_class
        self.assertEqual(
            self.client.get(INDEX, {"classe": foreign.pk}).status_code, 404
        )
        self.assertEqual(self.client.get(INDEX, {"classe": "abc"}).status_code, 404)
        self.assertEqual(self.print_sheets(foreign).status_code, 404)
        self.assertEqual(
            self.client.post(
                f"/admin/invitations/{self.foreign.pk}/renvoyer/"
            ).status_code,
            404,
        )
        self.assertEqual(self.invite_all(classe=foreign.pk).status_code, 404)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Invitation.objects.filter(user=self.foreign).exists())

    def test_teachers_and_families_reach_nothing(self):
        for username in ("ens.moreau", "famille.leroy"):
            self.client.force_login(user(username))
            with self.subTest(username=username):
                self.assertIn(self.client.get(INDEX).status_code, {302, 404})
                self.assertIn(self.invite_all().status_code, {302, 404})
                self.assertIn(self.print_sheets().status_code, {302, 404})
        self.assertEqual(mail.outbox, [])

    def test_the_team_sees_every_school(self):
        self.client.force_login(user("ien.dubois"))
        listing = self.client.get(INDEX, {"classe": self.foreign_class.pk})
        self.assertContains(listing, "famille.fabre")
        self.assertEqual(
            SchoolPage.objects.get(slug="les-coquelicots").pk,
            self.foreign_class.get_parent().pk,
        )
