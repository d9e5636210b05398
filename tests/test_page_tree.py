"""The page tree of DESIGN §3 is the only one an editor can build."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from agenda.models import AgendaIndexPage, EventPage
from home.models import HomePage, StandardPage
from news.models import NewsIndexPage, NewsPage
from privacy.models import PrivacyPage
from resources.models import ResourceIndexPage, ResourcePage
from schools.models import ClassroomPage, SchoolIndexPage, SchoolPage
from training.models import TrainingIndexPage, TrainingSessionPage
from visibility.audience import Audience


class PageTreeTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                NewsIndexPage,
                SchoolIndexPage,
                ResourceIndexPage,
                AgendaIndexPage,
                TrainingIndexPage,
                StandardPage,
                PrivacyPage,
            },
        )

    def test_indexes_and_standard_pages_sit_under_the_home_page(self):
        for model in (
            NewsIndexPage,
            SchoolIndexPage,
            ResourceIndexPage,
            AgendaIndexPage,
            TrainingIndexPage,
            StandardPage,
            PrivacyPage,
        ):
            with self.subTest(model=model):
                self.assertAllowedParentPageTypes(model, {HomePage})

    def test_school_index_holds_schools_only(self):
        self.assertAllowedSubpageTypes(SchoolIndexPage, {SchoolPage})
        self.assertAllowedParentPageTypes(SchoolPage, {SchoolIndexPage})

    def test_school_holds_classes_news_and_events(self):
        self.assertAllowedSubpageTypes(SchoolPage, {ClassroomPage, NewsPage, EventPage})
        self.assertAllowedParentPageTypes(ClassroomPage, {SchoolPage})

    def test_class_holds_news_and_events(self):
        self.assertAllowedSubpageTypes(ClassroomPage, {NewsPage, EventPage})

    def test_events_sit_under_the_agenda_a_school_or_a_class(self):
        self.assertAllowedParentPageTypes(
            EventPage, {AgendaIndexPage, SchoolPage, ClassroomPage}
        )
        self.assertAllowedSubpageTypes(AgendaIndexPage, {EventPage})

    def test_training_sessions_sit_under_formations_only(self):
        self.assertAllowedSubpageTypes(TrainingIndexPage, {TrainingSessionPage})
        self.assertAllowedParentPageTypes(TrainingSessionPage, {TrainingIndexPage})

    def test_news_sit_under_district_school_or_class(self):
        self.assertAllowedParentPageTypes(
            NewsPage, {NewsIndexPage, SchoolPage, ClassroomPage}
        )
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})

    def test_the_library_holds_resources_only(self):
        self.assertAllowedSubpageTypes(ResourceIndexPage, {ResourcePage})
        self.assertAllowedParentPageTypes(ResourcePage, {ResourceIndexPage})

    def test_leaves_have_no_children(self):
        for model in (
            NewsPage,
            StandardPage,
            PrivacyPage,
            ResourcePage,
            EventPage,
            TrainingSessionPage,
        ):
            with self.subTest(model=model):
                self.assertAllowedSubpageTypes(model, set())

    def test_one_of_each_index_per_district(self):
        home = HomePage.objects.get()
        for model in (
            NewsIndexPage,
            SchoolIndexPage,
            ResourceIndexPage,
            AgendaIndexPage,
            TrainingIndexPage,
            PrivacyPage,
        ):
            with self.subTest(model=model):
                self.assertFalse(model.can_create_at(home))

    def test_every_page_type_has_a_description_for_editors(self):
        for model in (
            HomePage,
            StandardPage,
            PrivacyPage,
            NewsIndexPage,
            NewsPage,
            SchoolIndexPage,
            SchoolPage,
            ClassroomPage,
            ResourceIndexPage,
            ResourcePage,
            AgendaIndexPage,
            EventPage,
            TrainingIndexPage,
            TrainingSessionPage,
        ):
            with self.subTest(model=model):
                self.assertTrue(str(model.page_description))
                self.assertTrue(model.search_fields)


class EditorCreatesPagesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth import get_user_model

        cls.admin = get_user_model().objects.get(username="admin")
        cls.classroom = ClassroomPage.objects.get(slug="cp-moreau")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_editor_creates_a_class_news_with_a_body(self):
        self.assertCanCreate(
            self.classroom,
            NewsPage,
            nested_form_data(
                {
                    "title": "Sortie au musée des Beaux-Arts",
                    "slug": "sortie-au-musee-test",
                    "audience": Audience.COMMUNITY,
                    "date": "2026-12-03",
                    "intro": "Prévoir un pique-nique.",
                    "body": streamfield(
                        [("paragraph", rich_text("<p>Rendez-vous à 8 h 30.</p>"))]
                    ),
                    "tags": "sortie, musée",
                }
            ),
        )
        news = NewsPage.objects.get(slug="sortie-au-musee-test")
        self.assertEqual(news.get_parent().specific, self.classroom)
        self.assertEqual(sorted(news.tags.names()), ["musée", "sortie"])

    def test_a_new_news_starts_with_its_parents_audience(self):
        url = f"/admin/pages/add/news/newspage/{self.classroom.pk}/"
        response = self.client.get(url)
        form = response.context["form"]
        self.assertEqual(form["audience"].value(), Audience.COMMUNITY)

        school = SchoolPage.objects.get(slug="jules-ferry")
        response = self.client.get(f"/admin/pages/add/news/newspage/{school.pk}/")
        self.assertEqual(response.context["form"]["audience"].value(), Audience.PUBLIC)

    def test_admin_is_in_french(self):
        response = self.client.get(f"/admin/pages/{self.classroom.pk}/")
        self.assertContains(response, "Ajouter une sous-page")

    def test_pages_are_previewable(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        self.assertPageIsPreviewable(
            news,
            post_data=nested_form_data(
                {
                    "title": news.title,
                    "slug": news.slug,
                    "audience": news.audience,
                    "date": "2026-12-03",
                    "intro": news.intro,
                    "body": streamfield(
                        [("paragraph", rich_text("<p>Rendez-vous à 8 h 30.</p>"))]
                    ),
                    "tags": "",
                }
            ),
        )


class AdminLoginTests(WagtailPageTestCase):
    def test_admin_login_page_is_in_french(self):
        html = self.client.get("/admin/login/").content.decode()
        self.assertRegex(html, r'for="id_username"[^>]*>\s*Nom d’utilisateur')
        self.assertRegex(html, r'for="id_password"[^>]*>\s*Mot de passe')
