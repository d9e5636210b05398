"""The cache belongs to one database: what was cached for some content
(visitors' pages, routing, the site's structure, sessions, renditions) is
never served once the database holds other content, whether it is another
``DATABASE_URL``, a demo seeded again or a restored backup."""

import io
from unittest import mock

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import TestCase, override_settings

from wagtail.images import get_image_model
from wagtail.models import Page

import pytest

from news.models import NewsPage
from tests.conftest import user
from visibility import cache_keys
from visibility.models import DatabaseIdentity

KEY_FUNCTION = "visibility.cache_keys.make_key"
WARM_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": KEY_FUNCTION,
    },
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "KEY_FUNCTION": KEY_FUNCTION,
    },
}
PUBLIC_NEWS = "Inscriptions en maternelle pour la rentrée 2027"
POSTER = "Affiche de la fête de l'école"


def replaced_behind_our_back(page, rendition):
    """The database now holds other content, changed by another process:
    no signal reaches this one. The page is not published there, nobody is
    logged in, the poster's rendition is another file."""
    Page.objects.filter(pk=page.pk).update(live=False)
    Session.objects.all().delete()
    type(rendition).objects.filter(pk=rendition.pk).update(
        file="images/une-autre-photo.width-400.jpg"
    )


def renewed_by_another_process(command, *args):
    """``command`` run by another process (``seed_demo``, ``migrate``,
    ``renew_cache_identity``): this one has not seen it yet and only learns of
    it, as any running server, at its next request."""
    running = cache_keys.State.token
    call_command(command, *args, stdout=io.StringIO())
    cache_keys.State.token = running


@override_settings(ANONYMOUS_CACHE_SECONDS=300, CACHES=WARM_CACHES)
class SwitchingDatabasesTests(TestCase):
    def setUp(self):
        for alias in WARM_CACHES:
            caches[alias].clear()
        self.news = NewsPage.objects.get(title=PUBLIC_NEWS)
        self.poster = get_image_model().objects.get(title=POSTER)

    def visit(self, url):
        self.client.cookies.clear()
        return self.client.get(url)

    def warm(self):
        """Fill every cache as a running site does: a visitor's page, the
        route of its address, a family's session, a rendition."""
        self.visit(self.news.url)
        self.assertEqual(self.visit(self.news.url)["X-Cache"], "hit")
        family = self.client_class()
        family.force_login(user("famille.leroy"))
        self.assertEqual(family.get("/mon-fil/").status_code, 200)
        self.assertEqual(family.get(self.news.url).status_code, 200)
        rendition = self.poster.get_rendition("width-400")
        self.assertEqual(
            self.poster.get_rendition("width-400").file.name, rendition.file.name
        )
        return family, rendition

    def assert_nothing_stale(self, family, rendition):
        response = self.visit(self.news.url)
        self.assertNotIn("X-Cache", response)
        self.assertEqual(response.status_code, 404)
        # The session of the other content is nobody's here.
        response = family.get("/mon-fil/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/connexion/", response["Location"])
        self.assertEqual(family.get(self.news.url).status_code, 404)
        # The picture is the one this database names.
        fresh = get_image_model().objects.get(pk=self.poster.pk)
        self.assertEqual(
            fresh.get_rendition("width-400").file.name,
            "images/une-autre-photo.width-400.jpg",
        )

    def test_a_restored_backup_under_a_running_server(self):
        family, rendition = self.warm()
        replaced_behind_our_back(self.news, rendition)
        renewed_by_another_process("renew_cache_identity")
        self.assert_nothing_stale(family, rendition)

    def test_a_demo_seeded_again_under_a_running_server(self):
        family, rendition = self.warm()
        replaced_behind_our_back(self.news, rendition)
        renewed_by_another_process("seed_demo", "--force")
        self.assert_nothing_stale(family, rendition)

    def test_another_database_with_its_own_identity(self):
        """A database put in place of another without any command: its own
        token is read once the shared cache's copy expires."""
        family, rendition = self.warm()
        replaced_behind_our_back(self.news, rendition)
        DatabaseIdentity.objects.update(token="une-autre-base")
        cache.delete(cache_keys.IDENTITY_KEY)  # as it does after IDENTITY_SECONDS
        self.assert_nothing_stale(family, rendition)

    def test_the_same_database_keeps_its_cache(self):
        """Without any change of identity, what is cached is served (the
        tests above fail for the right reason)."""
        family, rendition = self.warm()
        self.assertEqual(self.visit(self.news.url)["X-Cache"], "hit")
        Session.objects.all().delete()  # read from the cache: still logged in
        self.assertEqual(family.get("/mon-fil/").status_code, 200)


@pytest.mark.django_db
def test_another_database_url_is_another_cache():
    cache.set("anonymous-pages:version", 41)
    other = {"NAME": "/srv/ent/autre.sqlite3", "HOST": "", "PORT": ""}
    with mock.patch.dict(settings.DATABASES["default"], other):
        assert cache.get("anonymous-pages:version") is None
        cache.set("anonymous-pages:version", 7)
    assert cache.get("anonymous-pages:version") == 41


def test_every_cache_alias_names_its_database():
    from ent_site.settings import base

    for configured in (base.CACHES, settings.CACHES):
        for alias, options in configured.items():
            assert options.get("KEY_FUNCTION") == KEY_FUNCTION, alias
