"""The dashboard of each role (issue 14, item 1): where one may publish, one's
own drafts, acknowledgements in progress, pupils without consent."""

import html as html_lib

from django.test import TestCase

from wagtail.models import Page

from news.models import NewsPage
from schools.models import ClassroomPage
from tests.conftest import user


def dashboard(client, username):
    client.logout()
    client.cookies.clear()  # no message left from an earlier request
    client.force_login(user(username))
    response = client.get("/admin/")
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def add_url(slug):
    return f"/admin/pages/add/news/newspage/{Page.objects.get(slug=slug).pk}/"


def save_draft(client, username, slug, title):
    client.force_login(user(username))
    response = client.post(
        add_url(slug),
        {
            "title": title,
            "audience": "community",
            "date": "2026-03-12",
            "intro": "Un brouillon.",
            "body-count": "0",
            "tags": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return NewsPage.objects.get(title=title)


class PublishButtonsTests(TestCase):
    def test_a_director_publishes_in_her_school_and_her_class(self):
        page = dashboard(self.client, "dir.lefevre")
        self.assertIn("Publier une actualité : École élémentaire Jules-Ferry", page)
        self.assertIn("Publier une actualité : CM2 de M. Lefèvre", page)
        self.assertIn(add_url("cm2-lefevre"), page)
        self.assertIn(add_url("jules-ferry"), page)
        self.assertNotIn("CP de Mme Moreau", page)
        self.assertNotIn("Les Coquelicots", page)

    def test_a_teacher_publishes_in_each_of_her_classes_only(self):
        page = dashboard(self.client, "ens.roux")
        self.assertIn("Publier une actualité : CE2-CM1 de Mme Roux", page)
        self.assertIn("Publier une actualité : CE1 de M. Garnier", page)
        self.assertNotIn("Publier une actualité : École", page)
        self.assertNotIn("CP de Mme Moreau", page)

    def test_the_team_publishes_district_news(self):
        page = dashboard(self.client, "ien.dubois")
        self.assertIn(add_url("actualites"), page)
        self.assertNotIn("Droit à l'image", page)

    def test_the_button_leads_to_the_form(self):
        self.client.force_login(user("ens.moreau"))
        response = self.client.get(add_url("cp-moreau"))
        self.assertEqual(response.status_code, 200)


class DraftsTests(TestCase):
    def test_a_teacher_sees_her_own_drafts_with_take_up_and_delete(self):
        news = save_draft(self.client, "ens.moreau", "cp-moreau", "Piscine : le sac")
        page = dashboard(self.client, "ens.moreau")
        self.assertIn("Vos brouillons", page)
        self.assertIn("Piscine : le sac", page)
        self.assertIn(f"/admin/pages/{news.pk}/edit/", page)
        self.assertIn(f"/admin/pages/{news.pk}/delete/", page)
        self.assertIn("reprendre", page)
        self.assertIn("supprimer", page)

    def test_a_teacher_never_sees_another_class_drafts(self):
        save_draft(self.client, "ens.garnier", "ce1-garnier", "Brouillon du CE1")
        save_draft(self.client, "dir.lefevre", "cp-moreau", "Brouillon du directeur")
        page = dashboard(self.client, "ens.moreau")
        self.assertNotIn("Brouillon du CE1", page)
        self.assertNotIn("Brouillon du directeur", page)
        self.assertNotIn("Vos brouillons", page)
        page = dashboard(self.client, "ens.garnier")
        self.assertIn("Brouillon du CE1", page)

    def test_a_sent_draft_is_no_longer_a_draft(self):
        news = save_draft(self.client, "ens.moreau", "cp-moreau", "Sortie au parc")
        self.client.post(
            f"/admin/pages/{news.pk}/edit/",
            {
                "title": news.title,
                "date": "2026-03-12",
                "intro": "Un brouillon.",
                "body-count": "0",
                "tags": "",
                "action-submit": "1",
            },
        )
        news.refresh_from_db()
        self.assertEqual(news.current_workflow_state.status, "in_progress")
        self.assertNotIn("Vos brouillons", dashboard(self.client, "ens.moreau"))
        # The director finds it in Wagtail's own « awaiting your review ».
        page = dashboard(self.client, "dir.lefevre")
        self.assertIn("Sortie au parc", page)


class AcknowledgementsAndConsentsTests(TestCase):
    def test_acknowledgements_in_progress_with_their_counts(self):
        from inbox.reports import report_listing

        reports = list(report_listing(user("dir.lefevre")))
        self.assertTrue(reports, "the demo has acknowledgements in Jules-Ferry")
        news = reports[0]
        page = dashboard(self.client, "dir.lefevre")
        self.assertIn("Accusés de lecture en cours", page)
        self.assertIn(news.title, page)
        self.assertIn(f"{news.confirmed} sur {news.addressed} ont confirmé", page)
        self.assertIn(f"/admin/accuses-de-lecture/{news.pk}/", page)

    def test_a_director_sees_the_pupils_without_consent(self):
        page = dashboard(self.client, "dir.lefevre")
        # Inès, in the CP: no decision recorded.
        self.assertIn("1 élève de votre école n'a aucun accord enregistré", page)
        self.assertIn("/admin/pupils/", page)

    def test_a_teacher_does_not(self):
        page = dashboard(self.client, "ens.moreau")
        self.assertNotIn("aucun accord enregistré", page)

    def test_another_school_is_not_counted(self):
        # Les Coquelicots: every pupil has a decision.
        page = dashboard(self.client, "dir.chevalier")
        self.assertNotIn("aucun accord enregistré", page)
        self.assertTrue(ClassroomPage.objects.exists())
