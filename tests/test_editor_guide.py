"""The editors' guide: every help link of the admin leads to it, and it
shows docs/guide-editeur.md with its screenshots."""

import re

from django.contrib.staticfiles import finders
from django.test import TestCase

from home.guide import GUIDE
from schools.models import ClassroomPage

from .conftest import login

SCREENSHOT = re.compile(r"!\[[^\]]+\]\(\.\./ent_site/static/(guide/[\w.-]+)\)")


def has(html, text):
    """``text`` is in ``html`` (a short message when it is not)."""
    return text in html


class EditorGuideTests(TestCase):
    def test_the_guide_renders_its_markdown_with_its_screenshots(self):
        login(self.client, "dir.lefevre")
        response = self.client.get("/admin/guide/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertTrue(
            has(html, "<title>Guide de l&#x27;éditeur"),
            "<title>Guide de l&#x27;éditeur",
        )
        self.assertTrue(has(html, "<h2"), "<h2")
        self.assertTrue(has(html, "<table>"), "<table>")
        self.assertFalse(has(html, "ent_site/static"), "ent_site/static")
        shots = SCREENSHOT.findall(GUIDE.read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(shots), 5)
        for shot in shots:
            with self.subTest(shot=shot):
                self.assertTrue(
                    has(html, f'src="/static/{shot}"'), f'src="/static/{shot}"'
                )
                self.assertIsNotNone(finders.find(shot), "take it again")

    def test_every_help_link_leads_to_our_guide(self):
        for username in ("ens.moreau", "dir.lefevre", "ien.dubois", "admin"):
            login(self.client, username)
            with self.subTest(username=username):
                dashboard = self.client.get("/admin/").content.decode()
                self.assertFalse(
                    has(dashboard, "guide.wagtail.org"), "guide.wagtail.org"
                )
                self.assertFalse(has(dashboard, "docs.wagtail.org"), "docs.wagtail.org")
                self.assertTrue(
                    has(dashboard, 'href="/admin/guide/"'), 'href="/admin/guide/"'
                )
                # The dashboard's link, and the help menu's (the sidebar's JSON).
                self.assertTrue(has(dashboard, "Guide de l'éditeur</a>"), "dashboard")
                self.assertTrue(has(dashboard, '"url": "/admin/guide/"'), "help menu")
                self.assertFalse(has(dashboard, '"name": "editor-guide"'), "Wagtail's")

    def test_the_news_form_points_to_our_guide(self):
        """Its checks panel explains the content metrics with our guide."""
        login(self.client, "dir.lefevre")
        classroom = ClassroomPage.objects.get(slug="cm2-lefevre")
        response = self.client.get(f"/admin/pages/add/news/newspage/{classroom.pk}/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertTrue(has(html, "Lisibilité"), "Lisibilité")
        self.assertFalse(has(html, "guide.wagtail.org"), "guide.wagtail.org")
        self.assertTrue(has(html, 'href="/admin/guide/"'), 'href="/admin/guide/"')
