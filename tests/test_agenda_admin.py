"""Publishing events where news are published, and the school holidays kept
by the district team in the admin's settings."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils.text import slugify

from wagtail.test.utils.form_data import nested_form_data, rich_text

from agenda.models import EventPage, SchoolHoliday
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import user
from training.models import TrainingIndexPage


def add_url(place):
    return f"/admin/pages/add/agenda/eventpage/{place.pk}/"


def event_data(title="Sortie au jardin botanique", **extra):
    data = nested_form_data(
        {
            "title": title,
            # Filled from the title by the admin's script, as in a browser.
            "slug": slugify(title),
            "audience": "community",
            "start": "2027-03-16 09:00",
            "end": "2027-03-16 11:30",
            "place": "Jardin botanique",
            "description": rich_text("<p>Prévoir des bottes.</p>"),
            "repeat": "",
            "repeat_until": "",
            "term_time_only": "on",
        }
    )
    data["action-publish"] = "action-publish"
    data.update(extra)
    return data


def errors(response):
    form = response.context and response.context.get("form")
    return form.errors if form else {}


class PublishingEventsTests(TestCase):
    def test_a_teacher_adds_an_event_under_their_class(self):
        self.client.force_login(user("ens.moreau"))
        place = ClassroomPage.objects.get(slug="cp-moreau")
        response = self.client.post(add_url(place), event_data())
        self.assertEqual(response.status_code, 302, errors(response))
        event = EventPage.objects.get(title="Sortie au jardin botanique")
        self.assertEqual(event.get_parent().pk, place.pk)
        self.assertEqual(event.last_day, datetime.date(2027, 3, 16))

    def test_a_teacher_cannot_add_one_under_another_class(self):
        self.client.force_login(user("ens.moreau"))
        other = ClassroomPage.objects.get(slug="ce1-garnier")
        response = self.client.post(add_url(other), event_data())
        self.assertIn(response.status_code, {302, 403, 404})
        self.assertFalse(
            EventPage.objects.filter(title__startswith="Sortie au").exists()
        )
        self.assertIn(self.client.get(add_url(other)).status_code, {302, 403, 404})

    def test_a_director_adds_one_under_their_school(self):
        self.client.force_login(user("dir.lefevre"))
        school = SchoolPage.objects.get(slug="jules-ferry")
        response = self.client.post(add_url(school), event_data("Conseil d'école"))
        self.assertEqual(response.status_code, 302, errors(response))
        self.assertTrue(EventPage.objects.filter(title="Conseil d'école").exists())

    def test_a_repetition_needs_an_end_date_said_in_french(self):
        self.client.force_login(user("ens.moreau"))
        place = ClassroomPage.objects.get(slug="cp-moreau")
        response = self.client.post(add_url(place), event_data(repeat="weekly"))
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Indiquez jusqu'à quand l'événement se répète.",
            errors(response)["repeat_until"],
        )
        response = self.client.post(
            add_url(place), event_data(repeat="weekly", repeat_until="2027-03-01")
        )
        self.assertIn(
            "La répétition se termine après la première date.",
            errors(response)["repeat_until"],
        )
        response = self.client.post(add_url(place), event_data(end="2027-03-15 10:00"))
        self.assertIn("La fin vient après le début.", errors(response)["end"])
        self.assertFalse(
            EventPage.objects.filter(title__startswith="Sortie au").exists()
        )

    def test_the_dashboard_offers_to_add_an_event_where_they_publish(self):
        self.client.force_login(user("dir.lefevre"))
        page = self.client.get("/admin/").content.decode()
        self.assertIn("Ajouter un événement : École élémentaire Jules-Ferry", page)
        self.assertIn("Ajouter un événement : CM2 de M. Lefèvre", page)
        self.client.force_login(user("ens.roux"))
        page = self.client.get("/admin/").content.decode()
        self.assertIn("Ajouter un événement : CE2-CM1 de Mme Roux", page)
        self.assertNotIn("Ajouter un événement : École", page)
        self.client.force_login(user("ien.dubois"))
        page = self.client.get("/admin/").content.decode()
        self.assertIn("Ajouter un événement : Agenda", page)

    def test_the_team_alone_has_a_shortcut_to_a_new_training_session(self):
        add_session = reverse(
            "wagtailadmin_pages:add",
            args=(
                "training",
                "trainingsessionpage",
                TrainingIndexPage.objects.get().pk,
            ),
        )
        self.client.force_login(user("cpc.marchand"))
        page = self.client.get("/admin/").content.decode()
        self.assertIn("Ajouter une animation pédagogique", page)
        self.assertIn(add_session, page)
        self.assertEqual(self.client.get(add_session).status_code, 200)
        for username in ("dir.lefevre", "ens.moreau"):
            self.client.force_login(user(username))
            page = self.client.get("/admin/").content.decode()
            self.assertNotIn("Ajouter une animation pédagogique", page)
            # Wagtail refuses the form (a redirect with its message).
            self.assertEqual(self.client.get(add_session).status_code, 302)


class SchoolHolidaysTests(TestCase):
    def test_the_team_keeps_the_holidays_in_the_settings(self):
        self.client.force_login(user("ien.dubois"))
        self.assertContains(self.client.get("/admin/"), "Vacances scolaires")
        response = self.client.post(
            "/admin/vacances-scolaires/new/",
            {
                "name": "Vacances d'hiver",
                "first_day": "2027-02-13",
                "last_day": "2027-02-28",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(
            self.client.get("/admin/vacances-scolaires/"), "Vacances d&#x27;hiver"
        )

    def test_a_period_ending_before_it_starts_is_refused_in_french(self):
        self.client.force_login(user("ien.dubois"))
        before = SchoolHoliday.objects.count()  # the demo's holidays
        response = self.client.post(
            "/admin/vacances-scolaires/new/",
            {"name": "À l'envers", "first_day": "2027-02-28", "last_day": "2027-02-13"},
        )
        self.assertContains(response, "Le dernier jour vient après le premier.")
        self.assertEqual(SchoolHoliday.objects.count(), before)
        self.assertFalse(SchoolHoliday.objects.filter(name="À l'envers").exists())

    def test_school_staff_get_a_404(self):
        holiday = SchoolHoliday.objects.create(
            name="Pont",
            first_day=datetime.date(2027, 5, 7),
            last_day=datetime.date(2027, 5, 7),
        )
        for username in ("dir.lefevre", "ens.moreau"):
            self.client.force_login(user(username))
            self.assertNotContains(self.client.get("/admin/"), "Vacances scolaires")
            for url in (
                "/admin/vacances-scolaires/",
                "/admin/vacances-scolaires/new/",
                f"/admin/vacances-scolaires/edit/{holiday.pk}/",
            ):
                with self.subTest(username=username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
