"""Bad input gets a French answer and changes nothing; it never crashes."""

from django.test import TestCase

from accounts.models import Membership
from news.models import NewsPage
from pupils.models import Pupil
from schools.models import ClassroomPage
from tests.conftest import user
from tests.factories import NewsPageFactory


class BadInputTests(TestCase):
    def test_tags_in_any_script_keep_the_page_readable(self):
        news = NewsPageFactory(
            parent=ClassroomPage.objects.get(slug="cm2-lefevre"),
            title="Semaine des langues",
        )
        news.tags.set(["العربية", "数学", "🎨", "poésie"])
        news.save_revision().publish()
        response = self.client.get(news.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "العربية")

    def test_search_survives_odd_queries(self):
        for query in ("\x00", 'ab"', '"""', "a" * 5000, "💥", "sortie OR 1=1"):
            with self.subTest(query=query):
                self.assertEqual(
                    self.client.get("/recherche/", {"q": query}).status_code, 200
                )

    def test_a_crafted_audience_is_refused(self):
        self.client.force_login(user("dir.lefevre"))
        news = NewsPage.objects.get(slug="reunion-de-rentree-avec-les-familles")
        for audience in ("", "everyone"):
            with self.subTest(audience=audience):
                response = self.client.post(
                    f"/admin/pages/{news.pk}/edit/",
                    {
                        "title": news.title,
                        "slug": news.slug,
                        "audience": audience,
                        "date": news.date.isoformat(),
                        "intro": news.intro,
                        "body-count": 0,
                        "tags": "",
                    },
                )
                self.assertEqual(response.status_code, 200)
        news.refresh_from_db()
        self.assertEqual(news.audience, "community")
        self.assertEqual(
            self.client.get(f"/admin/pages/{news.pk}/edit/").status_code, 200
        )

    def test_history_and_usage_of_own_members_and_pupils_open(self):
        self.client.force_login(user("dir.lefevre"))
        membership = Membership.objects.get(user__username="famille.leroy")
        pupil = Pupil.objects.get(first_name="Jules")
        for url in (
            f"/admin/memberships/history/{membership.pk}/",
            f"/admin/memberships/usage/{membership.pk}/",
            f"/admin/pupils/history/{pupil.pk}/",
            f"/admin/pupils/usage/{pupil.pk}/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        foreign = Pupil.objects.get(first_name="Tom")
        self.assertEqual(
            self.client.get(f"/admin/pupils/history/{foreign.pk}/").status_code, 404
        )

    def test_impossible_ids_are_refused_like_unknown_ones(self):
        self.client.force_login(user("dir.lefevre"))
        memberships, pupils = Membership.objects.count(), Pupil.objects.count()
        huge = "99999999999999999999999"
        response = self.client.post(
            "/admin/memberships/new/",
            {"email": "famille.petit@ent-demo.fr", "role": "family", "classroom": huge},
        )
        self.assertEqual(response.status_code, 200)
        response = self.client.post(
            "/admin/pupils/new/",
            {
                "classroom": ClassroomPage.objects.get(slug="cp-moreau").pk,
                "first_name": "Ana",
                "families": [huge],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            (Membership.objects.count(), Pupil.objects.count()), (memberships, pupils)
        )

    def test_the_login_form_says_what_is_missing(self):
        response = self.client.post("/connexion/", {"username": "", "password": ""})
        self.assertContains(response, "Champ requis.", count=2)
        response = self.client.post(
            "/connexion/", {"username": "famille.martin", "password": "faux"}
        )
        self.assertContains(response, "Saisissez un nom d")
