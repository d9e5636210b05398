"""Every HTML answer, public or admin, carries a Content-Security-Policy and
a Permissions-Policy; the admin names no other host and shows people by
their initials (the browser side is in test_browser_headers.py)."""

import base64
import re

from django.test import TestCase

from tests.conftest import login, user


def directives(response):
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


class SecurityHeaderTests(TestCase):
    def assertHeaders(self, response):
        policy = directives(response)
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertIn("geolocation=()", response["Permissions-Policy"])
        self.assertIn("microphone=()", response["Permissions-Policy"])
        return policy

    def test_public_pages_allow_no_inline_code_and_no_other_host(self):
        for url in ("/", "/actualites/", "/connexion/", "/page-qui-nexiste-pas/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 404))
                policy = self.assertHeaders(response)
                self.assertEqual(policy["script-src"], ["'self'"])
                self.assertEqual(policy["style-src"], ["'self'"])
                hosts = {
                    value
                    for values in policy.values()
                    for value in values
                    if "://" in value
                }
                self.assertTrue(all(h.endswith(".apps.education.fr") for h in hosts))

    def test_a_private_page_refused_to_a_family_has_the_headers_too(self):
        response = login(self.client, "famille.leroy").get(
            "/ecoles/jules-ferry/ce1-garnier/"
        )
        self.assertEqual(response.status_code, 403)
        self.assertHeaders(response)

    def test_the_admin_login_is_strict_and_the_admin_allows_its_inline_code(self):
        policy = self.assertHeaders(self.client.get("/admin/login/"))
        self.assertEqual(policy["script-src"], ["'self'"])
        response = login(self.client, "cpc.marchand").get("/admin/")
        self.assertEqual(response.status_code, 200)
        policy = self.assertHeaders(response)
        self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(policy["style-src"], ["'self'", "'unsafe-inline'"])

    def test_the_admin_names_no_other_host_and_shows_initials(self):
        html = login(self.client, "cpc.marchand").get("/admin/").content.decode()
        self.assertNotIn("gravatar", html)
        self.assertNotIn("default-user-avatar", html)
        avatar = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
        svg = base64.b64decode(avatar.group(1)).decode()
        person = user("cpc.marchand")
        initials = (person.first_name[0] + person.last_name[0]).upper()
        self.assertIn(f">{initials}</text>", svg)
