"""The library's counts, read in one statement (``resources.search``), say
exactly what counting each facet on its own says, for every kind of reader;
the counts visitors share are dropped as soon as a resource is published or
unpublished."""

from collections import Counter
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext

from resources.models import Licence, ResourceIndexPage, ResourcePage, Subject
from resources.search import FACETS, PER_PAGE, TAGS_SHOWN, LibrarySearch
from tests.conftest import user
from tests.factories import ResourcePageFactory
from visibility.audience import Audience, visible_pages

READERS = (None, "famille.martin", "ens.moreau", "ien.dubois")
STATES = [
    {},
    {"matiere": "mathematiques"},
    {"niveau": ["CM1", "CE2"], "type": "link"},
    {"q": "géométrie", "cycle": "3", "licence": ["cc-by-sa", "cc0"]},
    {"cycle": ["2", "3"], "etiquette": ["geometrie", "outil-1"], "tri": "titre"},
    {
        "q": "fiche",
        "cycle": "3",
        "niveau": "CM2",
        "matiere": "mathematiques",
        "type": "link",
        "licence": "cc-by-sa",
        "etiquette": "geometrie",
    },
]


def library():
    return ResourceIndexPage.objects.get(slug="ressources")


def search(params, username=None):
    request = RequestFactory().get("/ressources/?" + urlencode(params, doseq=True))
    request.user = user(username) if username else AnonymousUser()
    return LibrarySearch(library(), request)


def reference(params, username=None):
    """The counts worked out one resource at a time in Python, as the page
    promises them: each facet's values counted with the words and every
    *other* facet applied; and the number of results, with all of them."""
    reader = user(username) if username else AnonymousUser()
    state = search(params, username)
    resources = visible_pages(ResourcePage.objects.live().child_of(library()), reader)
    if state.query:
        matches = ResourcePage.objects.search(state.query, order_by_relevance=False)
        resources = resources.filter(pk__in=[page.pk for page in matches])
    rows = [
        {
            "cycle": {str(level.cycle) for level in resource.levels.all()},
            "niveau": {level.code for level in resource.levels.all()},
            "matiere": {resource.subject.slug},
            "type": {resource.kind},
            "licence": {resource.licence},
            "etiquette": {tag.slug for tag in resource.tags.all()},
        }
        for resource in resources.select_related("subject").prefetch_related(
            "levels", "tags"
        )
    ]

    def passes(row, except_param=None):
        return all(
            row[param] & set(values)
            for param, values in state.selected.items()
            if param != except_param
        )

    counts = {"total": sum(passes(row) for row in rows)}
    for facet in FACETS:
        counts[facet.param] = Counter(
            value
            for row in rows
            if passes(row, facet.param)
            for value in row[facet.param]
        )
    return counts


class FacetCountTests(TestCase):
    """The one statement against the facets counted one by one."""

    @classmethod
    def setUpTestData(cls):
        subjects = list(Subject.objects.order_by("pk")[:3])
        licences = [Licence.CC_BY_SA, Licence.CC0, Licence.CC_BY]
        codes = [["CM1"], ["CM2", "CE2"], ["CP"], ["CE1", "CE2", "CM1"]]
        for number in range(24):
            ResourcePageFactory(
                parent=library(),
                title=f"Géométrie, fiche mêlée {number}",
                audience=Audience.PUBLIC if number % 3 else Audience.STAFF,
                subject=subjects[number % 3],
                licence=licences[number % 3],
                levels=codes[number % 4],
                tags=["géométrie", f"outil {number % 5}"][: 1 + number % 2],
                **(
                    {"link": "", "video_url": "https://vimeo.com/1"}
                    if number % 4 == 0
                    else {}
                ),
            )
        # An unpublished one counts for nobody.
        hidden = ResourcePageFactory(parent=library(), title="Géométrie, brouillon")
        hidden.unpublish()

    def test_the_counts_are_those_of_each_facet_on_its_own(self):
        for username in READERS:
            for params in STATES:
                with self.subTest(reader=username, params=params):
                    state = search(params, username)
                    expected = reference(params, username)
                    self.assertEqual(state.page.paginator.count, expected["total"])
                    self.assertEqual(
                        len(state.page.object_list), min(expected["total"], PER_PAGE)
                    )
                    for view in state.facets:
                        shown = {
                            value.value: value.count
                            for value in view.values
                            if value.count
                        }
                        wanted = expected[view.facet.param]
                        if view.facet.param == "etiquette":
                            self.assert_top_tags(shown, wanted)
                        else:
                            self.assertEqual(shown, dict(wanted), view.facet.param)

    def test_the_mixed_data_set_gives_every_facet_something_to_count(self):
        expected = reference(STATES[4], "ens.moreau")
        for facet in FACETS:
            self.assertGreater(len(expected[facet.param]), 1, facet.param)
        self.assertGreater(expected["total"], 0)

    def assert_top_tags(self, shown, wanted):
        """The most used tags, at most ``TAGS_SHOWN``, each with its count."""
        self.assertEqual(len(shown), min(TAGS_SHOWN, len(wanted)))
        for slug, count in shown.items():
            self.assertEqual(count, wanted[slug], slug)
        if shown:
            # No tag left out is used more than one shown.
            least = min(shown.values())
            above = {slug for slug, count in wanted.items() if count > least}
            self.assertLessEqual(above, set(shown))

    def test_the_cards_show_their_levels_in_order(self):
        state = search({"q": "mêlée", "tri": "titre"})
        cards = {resource.title: resource.level_codes for resource in state.page}
        self.assertEqual(cards["Géométrie, fiche mêlée 1"], "CE2, CM2")
        self.assertEqual(cards["Géométrie, fiche mêlée 7"], "CE1, CE2, CM1")


class VisitorCountsTests(TestCase):
    """Visitors share the counts; publishing or unpublishing a resource drops
    them at once, so a count never betrays a resource visitors may not see."""

    def licences(self, username=None):
        state = search({"matiere": "mathematiques"}, username)
        return {
            value.value: value.count
            for view in state.facets
            if view.facet.param == "licence"
            for value in view.values
        }

    def test_visitors_share_the_counts(self):
        first = self.licences()
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.licences(), first)
        self.assertFalse([query for query in queries if "WITH matched" in query["sql"]])
        # People who sign in have theirs counted for them.
        self.licences("ens.moreau")
        with CaptureQueriesContext(connection) as queries:
            self.licences("ens.moreau")
        self.assertTrue([query for query in queries if "WITH matched" in query["sql"]])

    def test_publishing_and_unpublishing_drop_the_shared_counts(self):
        before = self.licences()["cc0"]
        staff_before = self.licences("ens.moreau")["cc0"]
        resource = ResourcePageFactory(
            parent=library(), audience=Audience.PUBLIC, licence=Licence.CC0
        )
        self.assertEqual(self.licences()["cc0"], before + 1)
        # Made staff only: visitors no longer count it, staff still do.
        resource.audience = Audience.STAFF
        resource.save_revision().publish()
        self.assertEqual(self.licences()["cc0"], before)
        self.assertEqual(self.licences("ens.moreau")["cc0"], staff_before + 1)
        resource.audience = Audience.PUBLIC
        resource.save_revision().publish()
        self.assertEqual(self.licences()["cc0"], before + 1)
        resource.unpublish()
        self.assertEqual(self.licences()["cc0"], before)
        self.assertEqual(self.licences("ens.moreau")["cc0"], staff_before)
