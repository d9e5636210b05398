"""Password guessing is slowed down (django-axes): both login pages refuse to
log in after a few failures for one account or from one address, with the
same French answer whether the account exists or not, for a limited time,
and the district team can unlock earlier."""

import re

from django.test import TestCase, override_settings

from axes.utils import reset

from ent_site.settings.base import client_address_settings
from tests.conftest import user

PASSWORD = "ent-demo-2026"  # noqa: S105 (the demo accounts' password)
LOGIN_PAGES = ("/connexion/", "/admin/login/")
LOCKED = "Trop de tentatives de connexion"


def main_text(response):
    """What the page says, without the tokens that change at every answer."""
    html = response.content.decode()
    return re.sub(r'value="[^"]*"', "", html)


class LoginLockoutTests(TestCase):
    def attempt(
        self,
        username,
        password="mauvais",  # noqa: S107
        page="/connexion/",
        **kwargs,
    ):
        ip = kwargs.pop("ip", "203.0.113.10")
        return self.client.post(
            page,
            {"username": username, "password": password},
            REMOTE_ADDR=ip,
            **kwargs,
        )

    def fail_login(self, username, times=5, **kwargs):
        for _ in range(times):
            response = self.attempt(username, **kwargs)
        return response

    def assertLoggedIn(self, response):
        self.assertEqual(response.status_code, 302)
        self.assertIn("_auth_user_id", self.client.session)
        self.client.logout()

    def assertLockedOut(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, LOCKED, status_code=429)
        self.assertContains(response, "15 minutes", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(self):
        for page in LOGIN_PAGES:
            with self.subTest(page=page):
                response = self.fail_login("dir.lefevre", times=4, page=page)
                self.assertEqual(response.status_code, 200)
                self.fail_login("dir.lefevre", times=1, page=page)
                self.assertLockedOut(self.attempt("dir.lefevre", PASSWORD, page=page))
                # The other login page refuses too, from another address.
                other = LOGIN_PAGES[1] if page == LOGIN_PAGES[0] else LOGIN_PAGES[0]
                self.assertLockedOut(
                    self.attempt("dir.lefevre", PASSWORD, page=other, ip="198.51.100.7")
                )
                reset()

    def test_an_unknown_account_gets_the_same_answer(self):
        self.fail_login("dir.lefevre")
        self.fail_login("dir.inconnu", ip="203.0.113.20")
        known = self.attempt("dir.lefevre", PASSWORD)
        unknown = self.attempt("dir.inconnu", PASSWORD, ip="203.0.113.20")
        self.assertLockedOut(known)
        self.assertLockedOut(unknown)
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(main_text(known), main_text(unknown))
        self.assertNotIn("dir.lefevre", known.content.decode())

    def test_many_accounts_tried_from_one_address_lock_that_address(self):
        for username in ("ens.moreau", "ens.garnier", "ens.roux", "inconnu", "x.y"):
            self.fail_login(username, times=1)
        # A real account with its right password, from that address: refused.
        self.assertLockedOut(self.attempt("famille.martin", PASSWORD))
        # The same account from elsewhere is not locked.
        self.assertLoggedIn(self.attempt("famille.martin", PASSWORD, ip="198.51.100.7"))

    def test_a_successful_login_is_not_counted_as_a_failure(self):
        for _ in range(6):
            self.assertLoggedIn(self.attempt("dir.lefevre", PASSWORD))
        self.fail_login("dir.lefevre", times=4)
        self.assertLoggedIn(self.attempt("dir.lefevre", PASSWORD))
        self.assertLoggedIn(self.attempt("dir.lefevre", PASSWORD))

    def test_the_district_team_unlocks_an_account(self):
        self.fail_login("dir.lefevre")
        self.assertLockedOut(self.attempt("dir.lefevre", PASSWORD, ip="198.51.100.7"))

        # A director may neither see the list nor unlock.
        director = self.client_class()
        director.force_login(user("dir.chevalier"))
        # (Wagtail answers a refusal by going back to the dashboard.)
        listing = director.get("/admin/connexions-bloquees/", follow=True)
        self.assertNotContains(listing, "dir.lefevre", status_code=listing.status_code)
        self.assertNotContains(listing, "Débloquer", status_code=listing.status_code)
        refused = director.post(
            "/admin/connexions-bloquees/debloquer/",
            {"kind": "username", "value": "dir.lefevre"},
        )
        self.assertIn(refused.status_code, (302, 403, 404))
        self.assertNotEqual(refused.get("Location"), "/admin/connexions-bloquees/")
        self.assertLockedOut(self.attempt("dir.lefevre", PASSWORD, ip="198.51.100.7"))

        team = self.client_class()
        team.force_login(user("cpc.marchand"))
        listing = team.get("/admin/connexions-bloquees/")
        self.assertContains(listing, "dir.lefevre")
        self.assertContains(listing, "203.0.113.10")
        self.assertContains(listing, "Débloquer")
        response = team.post(
            "/admin/connexions-bloquees/debloquer/",
            {"kind": "username", "value": "dir.lefevre"},
            follow=True,
        )
        self.assertContains(response, "« dir.lefevre » peut à nouveau se connecter.")
        self.assertNotContains(
            response, '<td class="title">dir.lefevre</td>', html=False
        )
        self.assertLoggedIn(self.attempt("dir.lefevre", PASSWORD))

    def test_the_team_unlocks_an_address(self):
        for username in ("a", "b", "c", "d", "e"):
            self.fail_login(username, times=1)
        self.assertLockedOut(self.attempt("famille.martin", PASSWORD))
        team = self.client_class()
        team.force_login(user("cpc.marchand"))
        team.post(
            "/admin/connexions-bloquees/debloquer/",
            {"kind": "ip_address", "value": "203.0.113.10"},
        )
        self.assertLoggedIn(self.attempt("famille.martin", PASSWORD))

    def test_unlocking_nothing_says_so_and_changes_nothing(self):
        self.fail_login("dir.lefevre")
        team = self.client_class()
        team.force_login(user("cpc.marchand"))
        response = team.post(
            "/admin/connexions-bloquees/debloquer/",
            {"kind": "password", "value": "dir.lefevre"},
            follow=True,
        )
        self.assertContains(response, "Rien à débloquer")
        self.assertLockedOut(self.attempt("dir.lefevre", PASSWORD, ip="198.51.100.7"))

    @override_settings(**client_address_settings(1))
    def test_behind_the_proxy_the_address_it_saw_counts_not_what_the_client_wrote(self):
        # The proxy (at 127.0.0.1) appends the client's address to whatever
        # X-Forwarded-For the client sent; the client varies its own part.
        for number, username in enumerate(("a", "b", "c", "d", "e")):
            self.attempt(
                username,
                ip="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.10",
            )
        self.assertLockedOut(
            self.attempt(
                "famille.martin",
                PASSWORD,
                ip="127.0.0.1",
                HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.10",
            )
        )
        # Another client behind the same proxy is not locked.
        self.assertLoggedIn(
            self.attempt(
                "famille.martin",
                PASSWORD,
                ip="127.0.0.1",
                HTTP_X_FORWARDED_FOR="198.51.100.7",
            )
        )
