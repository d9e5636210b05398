"""Passwords (issue 15, item 4) and external identities (item 5).

« Mot de passe oublié » sends a French e-mail with a one-time link valid for
a day, answers the same for an unknown address, sends one e-mail per address
per five minutes at most, and lets an account without a password yet choose
its first one; « Mon compte » changes the password and keeps the session;
passwords follow the CNIL's rules, in French.
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import TestCase

import time_machine

from accounts.models import ExternalIdentity
from tests.conftest import user
from tests.factories import UserFactory

NEW_PASSWORD = "Quatre chats gris dorment"  # noqa: S105
LINK = re.compile(r"http://testserver(/mot-de-passe-oublie/[^\s]+/)")
SENT = "Consultez vos courriels"


def logs_in(client, username, password):
    """Whether the public login page lets ``username`` in (through django-axes,
    as a person logs in), then logs out."""
    response = client.post("/connexion/", {"username": username, "password": password})
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return response.status_code == 302 and logged_in


def reset_link(message):
    return LINK.search(message.body).group(1)


class ForgottenPasswordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.family = UserFactory(
            username="famille.garnier", email="Famille.Garnier@ent.example"
        )
        cls.imported = UserFactory(
            username="famille.roux", email="famille.roux@ent.example", password=None
        )
        cls.imported.set_unusable_password()
        cls.imported.save()
        cls.gone = UserFactory(
            username="famille.ancienne",
            email="famille.ancienne@ent.example",
            is_active=False,
        )

    def ask(self, email):
        return self.client.post("/mot-de-passe-oublie/", {"email": email}, follow=True)

    def choose(self, path, password=NEW_PASSWORD):
        response = self.client.get(path, follow=True)
        form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
        return self.client.post(
            form_path,
            {"new_password1": password, "new_password2": password},
            follow=True,
        )

    def test_the_login_page_links_to_it(self):
        response = self.client.get("/connexion/")
        self.assertContains(response, 'href="/mot-de-passe-oublie/"')
        self.assertContains(response, "Mot de passe oublié ?")

    def test_a_known_address_gets_a_french_email_with_a_link(self):
        response = self.ask("famille.garnier@ENT.example")

        self.assertContains(response, SENT)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["Famille.Garnier@ent.example"])
        self.assertEqual(
            message.subject, "Choisir un nouveau mot de passe sur ENT Val-de-Loire Nord"
        )
        self.assertIn("famille.garnier", message.body)
        self.assertIn("dans les 24 heures", message.body)
        self.assertIn("ENT Val-de-Loire Nord", message.body)
        self.assertRegex(reset_link(message), r"^/mot-de-passe-oublie/\w+/[\w-]+/$")

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self):
        known = self.ask("famille.garnier@ent.example")
        unknown = self.ask("personne@ent.example")
        inactive = self.ask("famille.ancienne@ent.example")

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(known.redirect_chain, [("/mot-de-passe-oublie/envoye/", 302)])
        for response in (unknown, inactive):
            self.assertEqual(response.redirect_chain, known.redirect_chain)
            self.assertEqual(response.content, known.content)

    def test_a_malformed_address_gets_a_french_message(self):
        response = self.ask("pas-une-adresse")
        self.assertContains(response, "Saisissez une adresse de courriel valide.")
        self.assertEqual(mail.outbox, [])

    def test_the_link_works_once(self):
        self.ask("famille.garnier@ent.example")
        link = reset_link(mail.outbox[0])

        response = self.choose(link)
        self.assertContains(response, "Mot de passe enregistré")
        self.family.refresh_from_db()
        self.assertTrue(self.family.check_password(NEW_PASSWORD))
        self.assertTrue(logs_in(self.client, "famille.garnier", NEW_PASSWORD))

        again = self.client.get(link, follow=True)
        self.assertContains(again, "Ce lien ne fonctionne plus")
        self.assertNotContains(again, "new_password1")

    def test_the_link_expires_after_a_day(self):
        with time_machine.travel("2026-09-01 08:00 +0200", tick=False):
            self.ask("famille.garnier@ent.example")
        link = reset_link(mail.outbox[0])
        with time_machine.travel("2026-09-02 08:01 +0200", tick=False):
            response = self.client.get(link, follow=True)
        self.assertContains(response, "Ce lien ne fonctionne plus")
        with time_machine.travel("2026-09-02 07:59 +0200", tick=False):
            response = self.client.get(link, follow=True)
        self.assertContains(response, "new_password1")

    def test_one_email_per_address_every_five_minutes(self):
        with time_machine.travel("2026-09-01 08:00 +0200", tick=False):
            first = self.ask("famille.garnier@ent.example")
            again = self.ask("FAMILLE.GARNIER@ent.example")
            self.ask("personne@ent.example")
            unknown_again = self.ask("personne@ent.example")
        self.assertEqual(len(mail.outbox), 1)
        # Silently: the same answer.
        self.assertEqual(again.content, first.content)
        self.assertEqual(unknown_again.content, first.content)
        with time_machine.travel("2026-09-01 08:06 +0200", tick=False):
            self.ask("famille.garnier@ent.example")
        self.assertEqual(len(mail.outbox), 2)

    def test_an_account_without_a_password_yet_chooses_its_first_one(self):
        self.assertFalse(self.imported.has_usable_password())
        self.ask("famille.roux@ent.example")
        self.assertEqual(len(mail.outbox), 1)

        self.choose(reset_link(mail.outbox[0]))
        self.imported.refresh_from_db()
        self.assertTrue(self.imported.check_password(NEW_PASSWORD))

    def test_a_weak_password_is_refused_in_french_and_changes_nothing(self):
        self.ask("famille.garnier@ent.example")
        response = self.choose(reset_link(mail.outbox[0]), password="ecole2026")
        self.assertContains(response, "Ce mot de passe est trop faible")
        self.family.refresh_from_db()
        self.assertTrue(self.family.check_password("mot-de-passe-de-test"))


class ChangePasswordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.family = UserFactory(username="famille.perrin")

    def setUp(self):
        self.client.force_login(self.family)

    def test_my_account_links_to_it(self):
        response = self.client.get("/mon-compte/")
        self.assertContains(response, 'href="/mon-compte/mot-de-passe/"')
        self.assertContains(response, "Changer mon mot de passe")

    def test_changing_keeps_the_session(self):
        response = self.client.post(
            "/mon-compte/mot-de-passe/",
            {
                "old_password": "mot-de-passe-de-test",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            follow=True,
        )
        self.assertEqual(response.redirect_chain, [("/mon-compte/", 302)])
        self.assertContains(response, "Votre nouveau mot de passe est enregistré.")
        self.family.refresh_from_db()
        self.assertTrue(self.family.check_password(NEW_PASSWORD))
        # Still logged in.
        self.assertEqual(self.client.get("/mon-compte/").status_code, 200)

    def test_a_wrong_old_password_changes_nothing(self):
        response = self.client.post(
            "/mon-compte/mot-de-passe/",
            {
                "old_password": "pas-le-bon",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertContains(response, "Votre ancien mot de passe est incorrect")
        self.family.refresh_from_db()
        self.assertTrue(self.family.check_password("mot-de-passe-de-test"))

    def test_visitors_are_sent_to_the_login_page(self):
        self.client.logout()
        response = self.client.get("/mon-compte/mot-de-passe/")
        self.assertRedirects(
            response,
            "/connexion/?next=/mon-compte/mot-de-passe/",
            fetch_redirect_response=False,
        )


class PasswordRulesTests(TestCase):
    def errors(self, password, username="famille.martin"):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        person = get_user_model()(username=username, first_name="Camille")
        try:
            validate_password(password, person)
        except ValidationError as error:
            return error.messages
        return []

    def test_strong_passwords_and_passphrases_pass(self):
        for password in (
            "Ecole!Jules7f",  # 12+, four kinds
            "quatre chats gris dorment",  # a passphrase of several words
            "Moulinsurloire2026",  # 14+, three kinds
        ):
            with self.subTest(password=password):
                self.assertEqual(self.errors(password), [])

    def test_weak_passwords_get_french_messages(self):
        weak = "Ce mot de passe est trop faible"
        for password, message in (
            ("Ecole!Jul7", weak),  # too short
            ("ecole!jules7f", weak),  # no capital, under 14
            ("aaaaaaaaaaaaaaaa", weak),  # long but one word of one kind
            ("ent-demo-2026", weak),  # the demo's: fine to log in, not to set
            ("famille.martin!A1", "trop semblable"),  # the username
            ("Megaparol12345", "trop courant"),  # common
        ):
            with self.subTest(password=password):
                self.assertIn(message, " ".join(self.errors(password)))

    def test_the_demo_passwords_still_log_in(self):
        # Validators apply when a password is chosen, not at login; the seed
        # commands set theirs directly.
        person = UserFactory(username="charge.exemple")
        person.set_password("ent-charge-2026")
        person.save()
        for username, password in (
            ("famille.leroy", "ent-demo-2026"),
            ("charge.exemple", "ent-charge-2026"),
        ):
            with self.subTest(username=username):
                self.assertTrue(logs_in(self.client, username, password))


class AdminLoginTests(TestCase):
    def test_the_admin_login_links_to_the_sites_reset_only(self):
        response = self.client.get("/admin/login/")
        self.assertContains(response, 'href="/mot-de-passe-oublie/"')
        self.assertNotContains(response, "/admin/password_reset/")
        self.assertEqual(self.client.get("/admin/password_reset/").status_code, 404)


class ExternalIdentityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.family = user("famille.leroy")

    def test_a_person_may_hold_several_each_unique_per_provider(self):
        ExternalIdentity.objects.create(
            user=self.family, provider="educonnect", subject="fr-ec-123"
        )
        ExternalIdentity.objects.create(
            user=self.family, provider="academie", subject="fr-ec-123"
        )
        self.assertEqual(self.family.external_identities.count(), 2)
        other = UserFactory(username="famille.autre")
        with self.assertRaises(IntegrityError), transaction.atomic():
            ExternalIdentity.objects.create(
                user=other, provider="educonnect", subject="fr-ec-123"
            )

    def test_my_account_lists_the_providers_only(self):
        ExternalIdentity.objects.create(
            user=self.family, provider="educonnect", subject="fr-ec-secret-42"
        )
        self.client.force_login(self.family)
        response = self.client.get("/mon-compte/")
        self.assertContains(response, "Identités liées à votre compte")
        self.assertContains(response, "ÉduConnect")
        self.assertNotContains(response, "fr-ec-secret-42")

    def test_the_team_sees_them_in_the_admin_and_staff_do_not(self):
        ExternalIdentity.objects.create(
            user=self.family, provider="educonnect", subject="fr-ec-777"
        )
        url = "/admin/snippets/accounts/externalidentity/"
        self.client.force_login(user("ien.dubois"))
        self.assertContains(self.client.get(url), "fr-ec-777")
        self.client.force_login(user("dir.lefevre"))
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)


def test_reset_timeout_is_a_day(settings):
    assert timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) == timedelta(days=1)
