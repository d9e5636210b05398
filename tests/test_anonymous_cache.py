"""Pages for anonymous visitors come from a shared cache that never serves a
private page, nor a logged-in person's page, to someone else, and that
forgets a page as soon as what it shows changes."""

from django.core.cache import cache
from django.test import TestCase, override_settings

from news.models import NewsIndexPage, NewsPage
from schools.models import SchoolPage
from tests.conftest import user
from tests.factories import NewsPageFactory
from visibility.audience import Audience

STAFF_NEWS = "Animation pédagogique : enseigner la géométrie au cycle 3"


@override_settings(ANONYMOUS_CACHE_SECONDS=300)
class AnonymousCacheTests(TestCase):
    def setUp(self):
        cache.clear()

    def visit(self, url="/actualites/"):
        self.client.cookies.clear()
        return self.client.get(url)

    def test_a_cached_page_costs_no_query(self):
        first = self.visit()
        self.assertNotIn("X-Cache", first)
        with self.assertNumQueries(0):
            second = self.visit()
        self.assertEqual(second["X-Cache"], "hit")
        self.assertEqual(second.content, first.content)
        self.assertEqual(second["Content-Type"], first["Content-Type"])

    def test_a_cached_page_keeps_its_security_headers(self):
        first = self.visit()
        second = self.visit()
        self.assertEqual(second["X-Cache"], "hit")
        for header in (
            "Content-Security-Policy",
            "Permissions-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
        ):
            with self.subTest(header=header):
                self.assertEqual(second.get(header), first.get(header))
                self.assertTrue(second.get(header))

    def test_priming_as_the_team_never_reaches_visitors(self):
        self.client.force_login(user("ien.dubois"))
        self.assertContains(self.client.get("/actualites/"), STAFF_NEWS)
        self.client.logout()
        response = self.visit()
        self.assertNotContains(response, STAFF_NEWS)
        self.assertNotContains(self.visit(), STAFF_NEWS)

    def test_priming_anonymously_never_reaches_logged_in_people(self):
        self.assertNotContains(self.visit(), STAFF_NEWS)
        self.assertEqual(self.visit()["X-Cache"], "hit")
        self.client.force_login(user("ens.moreau"))
        response = self.client.get("/actualites/")
        self.assertNotIn("X-Cache", response)
        self.assertContains(response, STAFF_NEWS)
        self.assertIn("private", response["Cache-Control"])

    def test_private_pages_redirects_and_forms_are_never_kept(self):
        class_news = NewsPage.objects.get(title="Sortie au musée des Beaux-Arts")
        for url in (class_news.url, "/connexion/", "/mon-fil/"):
            self.visit(url)
            response = self.visit(url)
            self.assertNotIn("X-Cache", response, url)
        self.assertEqual(self.visit(class_news.url).status_code, 302)

    def test_publishing_unpublishing_and_audiences_are_seen_at_once(self):
        self.visit()
        index = NewsIndexPage.objects.get()
        news = NewsPageFactory(
            parent=index, title="Fermeture exceptionnelle", audience=Audience.PUBLIC
        )
        news.save_revision().publish()
        self.assertContains(self.visit(), "Fermeture exceptionnelle")

        news.audience = Audience.COMMUNITY
        news.save_revision().publish()
        self.assertNotContains(self.visit(), "Fermeture exceptionnelle")
        self.assertEqual(self.visit(news.url).status_code, 302)

        news.audience = Audience.PUBLIC
        news.save_revision().publish()
        self.assertContains(self.visit(), "Fermeture exceptionnelle")
        news.unpublish()
        self.assertNotContains(self.visit(), "Fermeture exceptionnelle")

    def test_moving_and_renaming_are_seen_at_once(self):
        school = SchoolPage.objects.get(slug="jules-ferry")
        self.assertContains(self.visit("/"), school.title)
        school.title = "École élémentaire Jules-Ferry et Marie-Laurencin"
        school.save_revision().publish()
        self.assertContains(self.visit("/"), "Marie-Laurencin")

        public = NewsPage.objects.filter(
            audience=Audience.PUBLIC, depth=4
        ).first()  # a public district news item
        self.assertContains(self.visit(), public.title)
        public.move(school, pos="last-child")
        self.assertNotContains(self.visit(), public.title)

    def test_a_personal_unsubscribe_page_is_never_kept(self):
        from inbox.notifications import unsubscribe_url

        url = unsubscribe_url(user("famille.leroy")).removeprefix("http://testserver")
        self.visit(url)
        response = self.visit(url)
        self.assertNotIn("X-Cache", response)
        self.assertContains(response, "Leroy")

    def test_a_session_cookie_bypasses_the_cache(self):
        self.visit()
        self.client.force_login(user("famille.leroy"))
        self.assertNotIn("X-Cache", self.client.get("/actualites/"))
