"""How many SQL queries each kind of page costs, rendered for real through
the test client and the whole middleware stack.

The same district is built at two sizes: a small one, and one with five
times more news, classes, memberships and resources. Every page is visited
once first, as it is in production: the site's structure (sites, menu,
routes, the library's values) is then in the shared cache and the session
in the session cache. The count of the next visit is exact, the same at
both sizes for every listing, and no statement is longer than 4 KB.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data

from accounts.models import Membership
from home.models import HomePage
from inbox.models import Recipient
from news.models import NewsIndexPage, NewsPage, NewsPageTag
from resources.models import ResourceIndexPage
from schools.models import SchoolIndexPage
from tests.factories import (
    ClassroomPageFactory,
    MembershipFactory,
    NewsPageFactory,
    ResourcePageFactory,
    SchoolPageFactory,
    UserFactory,
)
from visibility.audience import Audience

# No statement grows with the district. The longest: a teacher's explorer
# listing, Wagtail's explorable pages narrowed by the visibility rule and
# without the drafts reserved to directors (about 5.2 KB at both sizes).
MAX_STATEMENT = 5500
LIBRARY_SEARCH = (
    "/ressources/?q=geometrie&niveau=CM1&matiere=mathematiques&type=link"
    "&licence=cc-by-sa&etiquette=geometrie&tri=pertinence"
)

# Queries of the second visit; the same at both sizes.
QUERIES = {
    # The home page, its latest news, its upcoming events and its schools.
    "anonymous home": 4,
    # The page, then a page of its news (never counted: paginated by key).
    "anonymous news index": 2,
    # The page, its classes, its news, its upcoming events.
    "anonymous school page": 4,
    # The page, the tag, its news.
    "anonymous tag page": 3,
    # The page (with whether the visitor may see it), its tags.
    "anonymous news page": 2,
    "anonymous cached page": 0,
    # The person with their memberships and the unread count come with the
    # session (``visibility.people``, ``inbox.feed.count_unread``). The page
    # (with the visibility, whether it was read, the acknowledgement
    # awaited), the tags; read before, it writes no read mark.
    "family on a class news page": 2,
    # The page, its news, its levels, its teachers, its upcoming events.
    "family on a class page": 5,
    # The page, its classes, its news, its upcoming events.
    "family on a school page": 4,
    # The page, its news.
    "family on the news index": 2,
    # The feed.
    "family feed": 1,
    # The page, the counts (the total and every facet, in one statement),
    # the results (ranked, with their levels); the person and the unread
    # count come with the session. The library's list shows no Wagtail user
    # bar.
    "teacher library search": 3,
    # Wagtail's explorer, its own queries: none per row; whether the teacher
    # may see the page they open (``home.admin_access``), the explorable
    # pages once (``AudiencePagePermissionPolicy``), no privacy settings
    # read when none exist. School staff's filters list no people nor sites
    # (``home.views.SchoolStaffPageFilterSet``), and their view is Wagtail's
    # base one, without reading the page's type to choose it.
    "teacher explorer": 29,
}
# Publishing through the admin form, before the commit, with the production
# queue: the recipients, the e-mails and the search index are worked out by
# the worker once the publication is committed (``inbox.signals``,
# ``pages.indexing``). Wagtail saves the page three times, validating it,
# updating its reference index (who may see its images: in the request) and
# journaling it each time; the two saves of its content refresh its
# audience (``visibility.signals``), within the publication's transaction
# and without reading the default locale. Wagtail's permission checks ask
# twice whether the writer may see the page (``pages.mixins``).
PUBLISHING_QUERIES = 116
QUEUED_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


@dataclass(frozen=True)
class Size:
    news: int
    classes: int
    families: int
    resources: int


SMALL = Size(news=3, classes=1, families=1, resources=3)
LARGE = Size(news=15, classes=5, families=5, resources=15)


def paragraph(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


def build(size):
    """A school with ``size.classes`` classes; a family with a child in each,
    a teacher of each and a director; ``size.news`` news in the first class,
    the school and the district; ``size.resources`` resources."""
    school = SchoolPageFactory(
        parent=SchoolIndexPage.objects.get(),
        slug="condorcet",
        title="École élémentaire Condorcet",
    )
    classes = [
        ClassroomPageFactory(
            parent=school,
            slug=f"classe-{number}",
            title=f"CP de Mme Perrot {number}",
            levels=["CP"],
        )
        for number in range(size.classes)
    ]
    family = UserFactory(username="famille.rousseau")
    teacher = UserFactory(username="ens.perrot")
    director = UserFactory(username="dir.condorcet")
    MembershipFactory(user=director, role=Membership.Role.DIRECTOR, school=school)
    for classroom in classes:
        MembershipFactory(user=family, classroom=classroom)
        MembershipFactory(user=teacher, classroom=classroom, role="teacher")
    for number in range(size.families - 1):
        MembershipFactory(
            user=UserFactory(username=f"famille.voisine{number}"),
            classroom=classes[0],
        )

    news_index = NewsIndexPage.objects.get()
    for number in range(size.news):
        NewsPageFactory(parent=classes[0], title=f"Atelier cuisine {number}")
        NewsPageFactory(
            parent=school,
            title=f"Kermesse de l'école {number}",
            audience=Audience.PUBLIC,
        )
        district_news = NewsPageFactory(
            parent=news_index,
            title=f"Conseil d'école du trimestre {number}",
            audience=Audience.PUBLIC,
        )
        NewsPageTag.objects.create(
            content_object=district_news,
            tag=NewsPageTag.tag_model().objects.get_or_create(
                slug="conseil-decole", defaults={"name": "Conseil d'école"}
            )[0],
        )
    class_news = NewsPageFactory(
        parent=classes[0],
        title="Sortie au planétarium",
        acknowledgement_required=True,
        body=paragraph("Départ à 8 h 30 devant l'école, retour pour midi."),
    )
    public_news = NewsPageFactory(
        parent=news_index,
        title="Inscriptions à la cantine",
        audience=Audience.PUBLIC,
        body=paragraph("Les inscriptions se font en mairie jusqu'au 30 juin."),
    )
    for page in (class_news, public_news):
        NewsPageTag.objects.create(
            content_object=page,
            tag=NewsPageTag.tag_model().objects.get_or_create(
                slug="sorties", defaults={"name": "Sorties"}
            )[0],
        )
    Recipient.objects.create(page=class_news, user=family, role="family")

    library = ResourceIndexPage.objects.get()
    for number in range(size.resources):
        ResourcePageFactory(
            parent=library,
            title=f"Géométrie au CM1, fiche {number}",
            summary="Tracer des figures géométriques au compas.",
            levels=["CM1"],
            tags=["géométrie"],
        )
    return {
        "school": school,
        "classroom": classes[0],
        "class_news": class_news,
        "public_news": public_news,
        "family": family,
        "teacher": teacher,
        "director": director,
    }


class QueryBudgets:
    """The visits, for a district of ``size``."""

    size = SMALL

    @classmethod
    def setUpTestData(cls):
        cls.district = build(cls.size)

    def visit(self, url, user=None):
        """The second visit of ``url`` by ``user`` (anonymous if None), with
        the queries it made."""
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        if user is not None:
            # Responses to a logged-in person are theirs alone.
            self.assertIn("private", response["Cache-Control"])
            self.assertIn("no-store", response["Cache-Control"])
        return response, queries

    def assert_queries(self, queries, expected):
        statements = [query["sql"] for query in queries.captured_queries]
        listing = "\n".join(
            f"{number}. {sql[:300]}" for number, sql in enumerate(statements, 1)
        )
        self.assertEqual(len(statements), expected, listing)
        for sql in statements:
            self.assertLessEqual(len(sql), MAX_STATEMENT, sql)

    # Visitors

    def test_anonymous_home(self):
        response, queries = self.visit("/")
        self.assert_queries(queries, QUERIES["anonymous home"])
        self.assertContains(response, "École élémentaire Condorcet")
        self.assertEqual(len(response.context["latest_news"]), 6)

    def test_anonymous_news_index(self):
        response, queries = self.visit(NewsIndexPage.objects.get().url)
        self.assert_queries(queries, QUERIES["anonymous news index"])
        self.assertContains(
            response, f"Conseil d&#x27;école du trimestre {self.size.news - 1}"
        )

    def test_anonymous_school_page(self):
        response, queries = self.visit(self.district["school"].url)
        self.assert_queries(queries, QUERIES["anonymous school page"])
        listed = response.context["news_page"]
        self.assertEqual(len(listed.object_list), min(self.size.news, 10))
        self.assertEqual(bool(listed.older_url), self.size.news > 10)

    def test_anonymous_tag_page(self):
        response, queries = self.visit("/actualites/etiquette/conseil-decole/")
        self.assert_queries(queries, QUERIES["anonymous tag page"])
        self.assertEqual(len(response.context["news_page"]), min(self.size.news, 10))

    def test_anonymous_news_page(self):
        response, queries = self.visit(self.district["public_news"].url)
        self.assert_queries(queries, QUERIES["anonymous news page"])
        self.assertContains(response, "en mairie jusqu'au 30 juin")
        self.assertContains(response, 'href="/actualites/etiquette/sorties/"')

    @override_settings(ANONYMOUS_CACHE_SECONDS=300)
    def test_anonymous_cached_page(self):
        self.visit("/")
        self.client.cookies.clear()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/")
        self.assertEqual(response["X-Cache"], "hit")
        self.assert_queries(queries, QUERIES["anonymous cached page"])

    # A family

    def test_family_on_a_class_news_page(self):
        response, queries = self.visit(
            self.district["class_news"].url, self.district["family"]
        )
        self.assert_queries(queries, QUERIES["family on a class news page"])
        self.assertContains(response, "Départ à 8 h 30")
        self.assertContains(response, "J’ai pris connaissance")

    def test_family_on_a_class_page(self):
        response, queries = self.visit(
            self.district["classroom"].url, self.district["family"]
        )
        self.assert_queries(queries, QUERIES["family on a class page"])
        self.assertEqual(
            len(response.context["news_page"]), min(self.size.news + 1, 10)
        )
        self.assertContains(response, self.district["teacher"].last_name)

    def test_family_on_a_school_page(self):
        response, queries = self.visit(
            self.district["school"].url, self.district["family"]
        )
        self.assert_queries(queries, QUERIES["family on a school page"])
        self.assertEqual(len(response.context["classrooms"]), self.size.classes)

    def test_family_on_the_news_index(self):
        response, queries = self.visit(
            NewsIndexPage.objects.get().url, self.district["family"]
        )
        self.assert_queries(queries, QUERIES["family on the news index"])

    def test_family_feed(self):
        response, queries = self.visit("/mon-fil/", self.district["family"])
        self.assert_queries(queries, QUERIES["family feed"])
        self.assertContains(response, "Sortie au planétarium")

    # Staff

    def test_teacher_library_search(self):
        response, queries = self.visit(LIBRARY_SEARCH, self.district["teacher"])
        self.assert_queries(queries, QUERIES["teacher library search"])
        self.assertEqual(
            response.context["library"].page.paginator.count, self.size.resources
        )

    def test_teacher_explorer(self):
        response, queries = self.visit(
            f"/admin/pages/{self.district['classroom'].pk}/",
            self.district["teacher"],
        )
        self.assert_queries(queries, QUERIES["teacher explorer"])
        self.assertContains(response, "Atelier cuisine 0")

    @override_settings(TASKS=QUEUED_TASKS)
    def test_director_publishes_a_news_item(self):
        self.client.force_login(self.district["director"])
        classroom = self.district["classroom"]
        url = f"/admin/pages/add/news/newspage/{classroom.pk}/"
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(
                url,
                nested_form_data(
                    {
                        "title": "Photo de classe",
                        "slug": "photo-de-classe",
                        "audience": Audience.COMMUNITY,
                        "date": "2027-03-12",
                        "intro": "Le photographe passe jeudi matin.",
                        "body": {"count": 0},
                        "tags": "",
                        "comments": {"count": 0},
                        "action-publish": "action-publish",
                    }
                ),
            )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(NewsPage.objects.get(slug="photo-de-classe").live)
        self.assert_queries(queries, PUBLISHING_QUERIES)


class SmallDistrictQueryBudgetTests(QueryBudgets, TestCase):
    size = SMALL


class LargeDistrictQueryBudgetTests(QueryBudgets, TestCase):
    size = LARGE


class RoutingTests(TestCase):
    """A URL is found in one query, with Wagtail's rules; the page kept for
    a URL is only a hint, checked on every request."""

    def test_a_page_that_left_its_url_is_not_served_there(self):
        news = NewsPageFactory(
            parent=NewsIndexPage.objects.get(),
            title="Fermeture de la cantine",
            audience=Audience.PUBLIC,
        )
        url = news.url
        self.assertEqual(self.client.get(url).status_code, 200)
        # Changed behind the cache's back: the kept route is not trusted.
        NewsPage.objects.filter(pk=news.pk).update(
            url_path=news.url_path.replace("fermeture", "ouverture")
        )
        self.assertEqual(self.client.get(url).status_code, 404)
        NewsPage.objects.filter(pk=news.pk).update(live=False)
        self.assertEqual(
            self.client.get(url.replace("fermeture", "ouverture")).status_code, 404
        )

    def test_a_sub_route_comes_before_a_child_of_the_same_name(self):
        NewsPageFactory(
            parent=NewsIndexPage.objects.get(),
            slug="rss",
            title="Un flux d'actualités",
            audience=Audience.PUBLIC,
        )
        response = self.client.get("/actualites/rss/")
        self.assertEqual(response["Content-Type"], "application/rss+xml; charset=utf-8")
        response = self.client.get("/actualites/atom/")
        self.assertEqual(
            response["Content-Type"], "application/atom+xml; charset=utf-8"
        )

    def test_missing_pages_and_deep_urls_are_404s(self):
        for url in (
            "/actualites/nulle-part/",
            "/ecoles/jules-ferry/nulle-part/encore/",
            "/a/b/c/d/e/f/g/h/i/j/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)


class PermissionTests(TestCase):
    """The explorer's question "may this page be deleted or moved?" gets
    Wagtail's answer, without a query for a page without children."""

    def test_the_same_answers_as_wagtail(self):
        from wagtail.models import Page, PagePermissionTester

        from tests.conftest import user

        pages = list(Page.objects.filter(depth__gt=1).specific())
        for username in ("ens.moreau", "dir.lefevre", "famille.leroy", "ien.dubois"):
            person = user(username)
            for page in pages:
                ours = page.permissions_for_user(person)
                wagtails = PagePermissionTester(person, page)
                with self.subTest(user=username, page=page.url_path):
                    self.assertEqual(ours.can_delete(), wagtails.can_delete())
                    self.assertEqual(ours.can_move(), wagtails.can_move())
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        permissions = news.permissions_for_user(user("ens.moreau"))
        with self.assertNumQueries(0):
            self.assertFalse(permissions.can_delete())
            self.assertFalse(permissions.can_move())


class PaginationTests(TestCase):
    """A listing is paginated by key (a news item's date and id): each page
    is one query, every news item is on exactly one page, and any key gives
    a valid page."""

    @classmethod
    def setUpTestData(cls):
        cls.index = NewsIndexPage.objects.get()
        # 23 news more, published on the same day: their order is their id's.
        same_day = datetime.date(2031, 5, 4)
        for number in range(23):
            NewsPageFactory(
                parent=cls.index,
                title=f"Rentrée {number}",
                audience=Audience.PUBLIC,
                date=same_day,
            )
        cls.expected = [
            news.pk
            for news in NewsPage.objects.listing(AnonymousUser())
            .child_of(cls.index)
            .cards()
        ]

    def walk(self, url, link):
        """The pages met following ``link`` ("older_url" or "newer_url")
        from ``url``: each page's URL, news and queries."""
        pages = []
        while url:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            page = response.context["news_page"]
            pages.append((url, [news.pk for news in page], len(queries)))
            url = getattr(page, link) and self.index.url + getattr(page, link)
        return pages

    def test_older_pages_hold_every_news_item_once(self):
        self.client.get(self.index.url)  # The site's structure, cached.
        pages = self.walk(self.index.url, "older_url")
        listed = [pk for _url, page, _queries in pages for pk in page]
        self.assertEqual(listed, self.expected)
        self.assertTrue(all(len(page) == 10 for _url, page, _queries in pages[:-1]))
        # The page and its news: the same on every page, the last included.
        self.assertEqual({queries for _url, _page, queries in pages}, {2})

    def test_newer_pages_lead_back_to_the_first_page(self):
        last_url, last, _queries = self.walk(self.index.url, "older_url")[-1]
        pages = self.walk(last_url, "newer_url")
        self.assertEqual(pages[0][1], last)
        self.assertEqual(pages[-1][1], self.expected[:10])
        # The top page may repeat some of the one below it: it is the first
        # page, whole.
        listed = {pk for _url, page, _queries in pages for pk in page}
        self.assertEqual(listed, set(self.expected))

    def test_odd_keys_give_the_first_page(self):
        first = self.expected[:10]
        for parameters in (
            {"avant": "abc"},
            {"avant": "2031-02-30_12"},
            {"avant": "2031-05-04_" + "9" * 40},
            {"avant": "0001-01-01_1"},
            {"apres": "9999-12-31_1"},
            {"apres": "2031-05-04"},
            {"page": "2"},
        ):
            with self.subTest(parameters=parameters):
                response = self.client.get(self.index.url, parameters)
                self.assertEqual(response.status_code, 200)
                page = response.context["news_page"]
                self.assertEqual([news.pk for news in page], first)
                self.assertEqual(page.newer_url, "")

    def test_the_feed_keeps_its_source_from_page_to_page(self):
        from tests.conftest import user

        self.client.force_login(user("famille.leroy"))
        response = self.client.get("/mon-fil/", {"source": "circonscription"})
        older = response.context["news_page"].older_url
        self.assertTrue(older.startswith("?source=circonscription&avant="), older)
        self.assertContains(response, "Plus anciennes")


class FirstVisitTests(TestCase):
    """The first visit after a change fills the shared cache again."""

    def test_the_structure_is_read_once(self):
        cache.clear()
        home = HomePage.objects.get()
        with CaptureQueriesContext(connection) as first:
            self.client.get(home.url)
        with CaptureQueriesContext(connection) as second:
            self.client.get(home.url)
        self.assertGreater(len(first), len(second))
        self.assertEqual(len(second), QUERIES["anonymous home"])
