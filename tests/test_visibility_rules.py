"""How audiences behave as the district changes: more pages, moves, copies,
translations, and what each response tells shared caches."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, Page

import pytest

from news.models import NewsPage
from schools.models import ClassroomPage, SchoolIndexPage, SchoolPage
from tests.conftest import user
from tests.factories import ClassroomPageFactory, NewsPageFactory, SchoolPageFactory
from visibility.audience import Audience, audience_models
from visibility.models import PageAudience

URLS = [
    "/",
    "/actualites/",
    "/ecoles/",
    "/ecoles/jules-ferry/",
    "/ecoles/jules-ferry/cp-moreau/",
    "/recherche/?q=sortie",
    "/actualites/rss/",
]


class QueryCountTests(TestCase):
    """Listing, search and feed queries do not grow with the number of pages
    or of restricted sections."""

    def count_queries(self, client, url):
        client.get(url)  # warm the per-process caches (site, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response.status_code, len(queries)

    def counts(self):
        counts = {}
        for username in (None, "famille.martin", "dir.lefevre"):
            client = self.client_class()
            if username:
                client.force_login(user(username))
            for url in URLS:
                counts[username, url] = self.count_queries(client, url)
        return counts

    def test_queries_do_not_grow_with_thirty_more_classes(self):
        before = self.counts()
        school = SchoolPageFactory(
            parent=SchoolIndexPage.objects.get(), slug="grande-ecole", uai="0451090P"
        )
        audiences = list(Audience)
        for number in range(30):
            classroom = ClassroomPageFactory(
                parent=school, title=f"Classe {number}", slug=f"classe-{number}"
            )
            for audience in audiences[: 1 + number % 4]:
                NewsPageFactory(
                    parent=classroom,
                    title=f"Sortie de la classe {number} ({audience})",
                    audience=audience,
                )
        after = self.counts()
        self.assertEqual(after, before)
        self.assertEqual(
            after["famille.martin", "/ecoles/jules-ferry/cp-moreau/"][0], 200
        )


class ResponsesTests(TestCase):
    def test_responses_to_logged_in_people_are_never_shared(self):
        self.client.force_login(user("famille.martin"))
        for url in ("/", "/ecoles/jules-ferry/cp-moreau/", "/recherche/?q=sortie"):
            with self.subTest(url=url):
                cache_control = self.client.get(url)["Cache-Control"]
                self.assertIn("private", cache_control)
                self.assertIn("no-store", cache_control)

    def test_there_is_no_public_api(self):
        for url in ("/api/", "/api/v2/pages/", "/admin/api/main/pages/"):
            with self.subTest(url=url):
                self.assertIn(self.client.get(url).status_code, {302, 404})


class EffectiveAudienceTests(TestCase):
    def test_every_audience_bearing_page_has_its_effective_audience(self):
        for model in audience_models():
            missing = model.objects.exclude(pk__in=PageAudience.objects.values("page"))
            self.assertFalse(missing.exists(), model)

    def test_a_page_is_never_more_visible_than_its_parent(self):
        for row in PageAudience.objects.select_related("page"):
            parent = row.page.get_parent()
            parent_row = PageAudience.objects.filter(page=parent).first()
            if parent_row:
                rank = list(Audience).index
                self.assertGreaterEqual(
                    rank(Audience(row.audience)), rank(Audience(parent_row.audience))
                )

    def test_restricting_a_class_restricts_its_news_at_once(self):
        classroom = ClassroomPage.objects.get(slug="cm2-lefevre")
        news = NewsPage.objects.get(slug="notre-journal-de-classe-est-en-ligne")
        self.assertEqual(self.client.get(news.url).status_code, 200)
        classroom.audience = Audience.STAFF
        classroom.save_revision().publish()
        self.assertEqual(self.client.get(news.url).status_code, 302)
        family = self.client_class()
        family.force_login(user("famille.bernard"))
        self.assertEqual(family.get(news.url).status_code, 403)
        teacher = self.client_class()
        teacher.force_login(user("dir.lefevre"))
        self.assertEqual(teacher.get(news.url).status_code, 200)

    def test_a_draft_audience_change_waits_for_publication(self):
        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        news.audience = Audience.DIRECTORS
        news.save_revision()
        self.assertEqual(self.client.get(news.url).status_code, 200)
        news.get_latest_revision().publish()
        self.assertEqual(self.client.get(news.url).status_code, 302)

    def test_a_moved_page_takes_the_audience_of_its_new_place(self):
        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        news.move(classroom, pos="last-child")
        news.refresh_from_db()
        self.assertEqual(news.effective_audience, Audience.COMMUNITY)
        self.assertEqual(self.client.get(news.url).status_code, 302)

    def test_a_translation_shares_its_source_audience(self):
        locale = Locale.objects.get_or_create(language_code="en")[0]
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        translated = news
        for ancestor in [*news.get_ancestors().filter(depth__gt=1), news]:
            translated = ancestor.specific.copy_for_translation(
                locale, copy_parents=True
            )
        source_row = PageAudience.objects.get(page=news)
        translated_row = PageAudience.objects.get(page=translated)
        self.assertEqual(
            (source_row.audience, source_row.school_key, source_row.classroom_key),
            (
                translated_row.audience,
                translated_row.school_key,
                translated_row.classroom_key,
            ),
        )
        family = self.client_class()
        family.force_login(user("famille.bernard"))
        translated.save_revision().publish()
        self.assertEqual(family.get(translated.url).status_code, 403)
        family.force_login(user("famille.leroy"))
        self.assertEqual(family.get(translated.url).status_code, 200)


class MoveAndCopyTests(TestCase):
    """Restricted pages stay in their scope unless the district team moves them."""

    def setUp(self):
        self.news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        self.school = SchoolPage.objects.get(slug="jules-ferry")

    def test_a_director_cannot_move_class_news_up_to_the_school(self):
        self.client.force_login(user("dir.lefevre"))
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/move/{self.school.pk}/confirm/", follow=True
        )
        self.assertContains(response, "seule l&#x27;équipe de circonscription")
        self.news.refresh_from_db()
        self.assertEqual(self.news.get_parent().slug, "cp-moreau")

    def test_a_director_cannot_copy_it_there_either(self):
        self.client.force_login(user("dir.lefevre"))
        count = Page.objects.count()
        self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            {
                "new_title": "Sortie au musée (copie)",
                "new_slug": "sortie-au-musee-copie",
                "new_parent_page": self.school.pk,
                "copy_subpages": False,
                "publish_copies": True,
            },
        )
        self.assertEqual(Page.objects.count(), count)

    def test_the_district_team_may(self):
        self.client.force_login(user("ien.dubois"))
        self.client.post(f"/admin/pages/{self.news.pk}/move/{self.school.pk}/confirm/")
        self.news.refresh_from_db()
        self.assertEqual(self.news.get_parent().slug, "jules-ferry")

    def test_editors_are_told_when_the_place_narrows_the_audience(self):
        self.client.force_login(user("dir.lefevre"))
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        response = self.client.post(
            f"/admin/pages/add/news/newspage/{classroom.pk}/",
            {
                "title": "Kermesse",
                "slug": "kermesse",
                "audience": Audience.PUBLIC,
                "date": "2026-06-27",
                "intro": "Venez nombreux.",
                "body-count": 0,
                "tags": "",
                "action-publish": "publish",
            },
            follow=True,
        )
        self.assertContains(response, "ne sera visible que par")
        news = NewsPage.objects.get(slug="kermesse")
        self.assertEqual(news.effective_audience, Audience.COMMUNITY)


@pytest.mark.django_db
def test_the_demo_manifest_lists_documents_with_their_audience(tmp_path):
    import io
    import json

    from django.core.management import call_command

    manifest = tmp_path / "manifest.json"
    call_command(
        "seed_demo", "--force", "--manifest", str(manifest), stdout=io.StringIO()
    )
    documents = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    menus = next(d for d in documents if d["title"].startswith("Menus"))
    assert menus["audience"] == "community"
    assert menus["pages"] == [
        "/ecoles/les-coquelicots/menus-de-la-cantine-de-decembre/"
    ]
    assert menus["url"].startswith("/documents/")


class ReviewRegressionTests(TestCase):
    """Holes found by review, each closed for good."""

    def test_a_wagtail_privacy_setting_narrows_every_channel(self):
        from wagtail.models import PageViewRestriction

        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        PageViewRestriction.objects.create(
            page=news, restriction_type=PageViewRestriction.LOGIN
        )
        for url in ("/", "/ecoles/jules-ferry/", "/actualites/rss/", "/sitemap.xml"):
            with self.subTest(url=url):
                self.assertNotIn(news.slug, self.client.get(url).content.decode())
        search = self.client.get("/recherche/", {"q": "kermesse"}).content.decode()
        self.assertNotIn(news.title.replace("'", "&#x27;"), search)
        self.client.force_login(user("famille.petit"))
        self.assertIn(
            news.slug, self.client.get("/ecoles/jules-ferry/").content.decode()
        )

    def test_a_translation_follows_its_source_when_the_source_narrows(self):
        locale = Locale.objects.get_or_create(language_code="en")[0]
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        translated = None
        for ancestor in [*news.get_ancestors().filter(depth__gt=1), news]:
            translated = ancestor.specific.copy_for_translation(
                locale, copy_parents=True
            )
        translated.save_revision().publish()
        family = self.client_class()
        family.force_login(user("famille.leroy"))
        self.assertEqual(family.get(translated.url).status_code, 200)

        news.audience = Audience.DIRECTORS
        news.save_revision().publish()
        self.assertEqual(family.get(translated.url).status_code, 403)

    def test_a_page_without_its_row_is_shown_to_nobody(self):
        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        PageAudience.objects.filter(page=news).delete()
        self.assertEqual(self.client.get(news.url).status_code, 302)
        self.assertNotIn(news.slug, self.client.get("/").content.decode())

    def test_a_new_class_starts_reserved_to_its_community(self):
        self.client.force_login(user("dir.lefevre"))
        school = SchoolPage.objects.get(slug="jules-ferry")
        response = self.client.get(
            f"/admin/pages/add/schools/classroompage/{school.pk}/"
        )
        self.assertEqual(
            response.context["form"]["audience"].value(), Audience.COMMUNITY
        )

    def test_bulk_move_keeps_restricted_pages_in_their_scope(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        neighbour = ClassroomPage.objects.get(slug="ce1-garnier")
        self.client.force_login(user("dir.lefevre"))
        self.client.post(
            f"/admin/bulk/wagtailcore/page/move/?id={news.pk}",
            {"chooser": neighbour.pk},
        )
        news.refresh_from_db()
        self.assertEqual(news.get_parent().slug, "cp-moreau")

    def test_the_page_chooser_does_not_browse_pages_out_of_sight(self):
        hidden = NewsPage.objects.get(slug="dossier-de-sortie-scolaire-a-valider")
        foreign = SchoolPage.objects.get(slug="les-coquelicots")
        self.client.force_login(user("ens.moreau"))
        for page in (hidden, foreign.get_children().live().first()):
            with self.subTest(page=page.slug):
                response = self.client.get(f"/admin/choose-page/{page.pk}/")
                self.assertEqual(response.status_code, 404)
        own = ClassroomPage.objects.get(slug="cp-moreau")
        self.assertEqual(
            self.client.get(f"/admin/choose-page/{own.pk}/").status_code, 200
        )

    def test_reports_are_for_the_district_team(self):
        self.client.force_login(user("ens.moreau"))
        for url in ("/admin/reports/page-types-usage/", "/admin/reports/site-history/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(user("ien.dubois"))
        response = self.client.get("/admin/reports/page-types-usage/")
        self.assertEqual(response.status_code, 200)

    def test_a_class_moved_to_another_school_takes_its_members_along(self):
        from accounts.models import Membership, ScopeGroup

        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        other_school = SchoolPage.objects.get(slug="marie-curie")
        self.client.force_login(user("ien.dubois"))
        self.client.post(f"/admin/pages/{classroom.pk}/move/{other_school.pk}/confirm/")
        classroom.refresh_from_db()
        self.assertEqual(classroom.get_parent().slug, "marie-curie")
        self.assertFalse(
            Membership.objects.filter(classroom=classroom)
            .exclude(school=other_school)
            .exists()
        )
        collection = ScopeGroup.objects.get(page=classroom).collection
        self.assertEqual(
            collection.get_parent(),
            ScopeGroup.objects.get(page=other_school).collection,
        )
        teacher = self.client_class()
        teacher.force_login(user("ens.moreau"))
        staff_news = "/ecoles/jules-ferry/conseil-des-maitres-du-lundi-7-decembre/"
        self.assertEqual(teacher.get(staff_news).status_code, 403)
