"""The access matrix: who sees what, on every channel (DESIGN §4).

The expected visibility below is written out from the audience table of the
design, not computed by the code under test. Each test page carries a unique
word (in its title and body) and a document of its own; every response body
fetched for a person is checked for the words of every page they may not see.
"""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase

from news.models import NewsIndexPage
from schools.models import ClassroomPage, SchoolPage
from tests.factories import DocumentFactory, NewsPageFactory
from visibility.audience import Audience

ROLES = {
    "anonymous": None,
    "account without membership": "sans.role",
    "family of C": "famille.leroy",
    "family of another class of S": "famille.bernard",
    "family of another school": "famille.nguyen",
    "family with children in S (class C) and another school": "famille.martin",
    "teacher of C": "ens.moreau",
    "teacher of another class of S": "ens.garnier",
    "teacher of another school": "ens.blanc",
    "director of S": "dir.lefevre",
    "director of another school": "dir.chevalier",
    "district team": "ien.dubois",
}
EVERYONE = set(ROLES)
MEMBERS = EVERYONE - {"anonymous", "account without membership"}
ALL_STAFF = {
    "teacher of C",
    "teacher of another class of S",
    "teacher of another school",
    "director of S",
    "director of another school",
    "district team",
}
ALL_DIRECTORS = {"director of S", "director of another school", "district team"}
COMMUNITY_OF_S = {
    "family of C",
    "family of another class of S",
    "family with children in S (class C) and another school",
    "teacher of C",
    "teacher of another class of S",
    "director of S",
    "district team",
}
STAFF_OF_S = {
    "teacher of C",
    "teacher of another class of S",
    "director of S",
    "district team",
}
COMMUNITY_OF_C = {
    "family of C",
    "family with children in S (class C) and another school",
    "teacher of C",
    "director of S",
    "district team",
}
STAFF_OF_C = {"teacher of C", "director of S", "district team"}
DIRECTOR_OF_S = {"director of S", "district team"}

# (scope, audience) -> who may see it. S is the Jules-Ferry school, C its CP
# class (a class page reserved to its community), P its CM2 class (public).
EXPECTED = {
    ("district", Audience.PUBLIC): EVERYONE,
    ("district", Audience.COMMUNITY): MEMBERS,
    ("district", Audience.STAFF): ALL_STAFF,
    ("district", Audience.DIRECTORS): ALL_DIRECTORS,
    ("school", Audience.PUBLIC): EVERYONE,
    ("school", Audience.COMMUNITY): COMMUNITY_OF_S,
    ("school", Audience.STAFF): STAFF_OF_S,
    ("school", Audience.DIRECTORS): DIRECTOR_OF_S,
    # A "public" news in class C is never wider than C itself: its community.
    ("class", Audience.PUBLIC): COMMUNITY_OF_C,
    ("class", Audience.COMMUNITY): COMMUNITY_OF_C,
    ("class", Audience.STAFF): STAFF_OF_C,
    ("class", Audience.DIRECTORS): DIRECTOR_OF_S,
    ("public class", Audience.PUBLIC): EVERYONE,
}
PUBLIC_CELLS = {key for key, seen_by in EXPECTED.items() if seen_by == EVERYONE}


def word(scope, audience):
    return "secret" + scope.replace(" ", "") + audience


class AccessMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        parents = {
            "district": NewsIndexPage.objects.get(),
            "school": SchoolPage.objects.get(slug="jules-ferry"),
            "class": ClassroomPage.objects.get(slug="cp-moreau"),
            "public class": ClassroomPage.objects.get(slug="cm2-lefevre"),
        }
        cls.pages = {}
        cls.documents = {}
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        for scope, audience in EXPECTED:
            unique = word(scope, audience)
            document = DocumentFactory(title=f"Document {unique}")
            cls.pages[scope, audience] = NewsPageFactory(
                parent=parents[scope],
                title=f"Matrice {unique}",
                slug=f"matrice-{unique}",
                audience=audience,
                date=tomorrow,
                intro=f"Le mot {unique} ne doit pas fuir.",
                body=[
                    {"type": "paragraph", "value": f"<p>Contenu {unique}.</p>"},
                    {
                        "type": "document",
                        "value": {"document": document.pk, "title": ""},
                    },
                ],
            )
            cls.pages[scope, audience].tags.add("matrice")
            cls.pages[scope, audience].save()
            cls.documents[scope, audience] = document
        cls.listings = {
            "district": ["/", "/actualites/"],
            "school": ["/", "/ecoles/jules-ferry/"],
            "class": ["/", "/ecoles/jules-ferry/cp-moreau/"],
            "public class": ["/", "/ecoles/jules-ferry/cm2-lefevre/"],
        }

    def client_for(self, role):
        client = self.client_class()
        if ROLES[role]:
            client.force_login(get_user_model().objects.get(username=ROLES[role]))
        return client

    def assert_no_foreign_words(self, role, response, channel, asked=""):
        """No word of a page ``role`` may not see is in the response (but the
        word they asked for themselves, which a search page repeats)."""
        body = (
            response.content.decode().replace(asked, "")
            if asked
            else (response.content.decode())
        )
        for key, seen_by in EXPECTED.items():
            if role not in seen_by:
                self.assertFalse(
                    word(*key) in body, f"{role} sees {key} through {channel}"
                )

    def test_page_urls(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, page=key):
                    response = client.get(self.pages[key].url)
                    if role in seen_by:
                        self.assertEqual(response.status_code, 200)
                        self.assertContains(response, word(*key))
                    elif role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                        self.assertTrue(response["Location"].startswith("/connexion/"))
                    else:
                        self.assertEqual(response.status_code, 403)
                        self.assertNotIn(
                            self.pages[key].title, response.content.decode()
                        )
                    self.assert_no_foreign_words(role, response, "page")

    def test_listings(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in EXPECTED.items():
                scope = key[0]
                listing = self.listings[scope][1]
                with self.subTest(role=role, page=key):
                    response = client.get(listing)
                    if role in seen_by:
                        self.assertContains(response, word(*key))
                    self.assert_no_foreign_words(role, response, listing)
            response = client.get("/")
            self.assert_no_foreign_words(role, response, "home page")
            older = client.get("/actualites/").context["news_page"].older_url
            response = client.get("/actualites/" + older)
            self.assert_no_foreign_words(role, response, "listing page 2")

    def test_tag_pages(self):
        for role in ROLES:
            client = self.client_for(role)
            pages = [client.get("/actualites/etiquette/matrice/")]
            while older := pages[-1].context["news_page"].older_url:
                pages.append(client.get("/actualites/etiquette/matrice/" + older))
            body = "".join(page.content.decode() for page in pages)
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, page=key):
                    self.assertEqual(word(*key) in body, role in seen_by)
            for page in pages:
                self.assert_no_foreign_words(role, page, "tag page")

    def test_search(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, page=key):
                    response = client.get("/recherche/", {"q": word(*key)})
                    self.assertEqual(response.status_code, 200)
                    body = response.content.decode()
                    if role in seen_by:
                        self.assertIn(f"Matrice {word(*key)}", body)
                        self.assertIn("1 résultat", body)
                    else:
                        self.assertIn("0 résultat", body)
                    self.assert_no_foreign_words(
                        role, response, "search", asked=word(*key)
                    )

    def test_feed_and_sitemap_hold_public_pages_only(self):
        for role in ROLES:
            client = self.client_for(role)
            for channel in ("/actualites/atom/", "/actualites/rss/", "/sitemap.xml"):
                response = client.get(channel)
                body = response.content.decode()
                for key in EXPECTED:
                    with self.subTest(role=role, channel=channel, page=key):
                        if key in PUBLIC_CELLS:
                            self.assertIn(self.pages[key].slug, body)
                        else:
                            self.assertNotIn(self.pages[key].slug, body)
                            self.assertNotIn(word(*key), body)

    def test_documents(self):
        for role in ROLES:
            client = self.client_for(role)
            for key, seen_by in EXPECTED.items():
                with self.subTest(role=role, document=key):
                    response = client.get(self.documents[key].url)
                    if role in seen_by:
                        self.assertEqual(response.status_code, 200)
                    elif role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                    else:
                        self.assertEqual(response.status_code, 403)
