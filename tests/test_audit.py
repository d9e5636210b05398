"""The audit log of personal data (issue 16, points 4 and 5): every change to
consents, memberships, audiences and imports is written to Wagtail's log with
who did it and why; automatic photo removals say why; the district team reads
the journal in the admin; a director reads each pupil's consent history; old
entries are purged."""

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import time_machine

from accounts.models import Membership
from audit.log import because
from news.models import NewsPage
from onboarding import sample
from onboarding.models import OndeImport
from pupils.models import Medium, Pupil, record_consent
from schools.models import ClassroomPage, SchoolPage, current_school_year
from tests.conftest import user

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def entries(action, instance=None):
    model = PageLogEntry if action in PAGE_ACTIONS else ModelLogEntry
    found = model.objects.filter(action=action)
    if instance is not None and model is PageLogEntry:
        found = found.filter(page_id=instance.pk)
    elif instance is not None:
        found = found.filter(object_id=str(instance.pk))
    return found.order_by("pk")


PAGE_ACTIONS = {"ent.audience.changed", "ent.photo.removed"}


class ConsentLogTests(TestCase):
    def test_a_familys_decision_is_written_on_the_pupil_in_their_name(self):
        martin = user("famille.martin")
        lea = Pupil.objects.get(first_name="Léa", families=martin)
        self.client.force_login(martin)
        self.client.post("/mon-compte/", {"pupil": lea.pk, "medium": Medium.WEB})

        entry = entries("ent.consent.withdrawn", lea).get()
        self.assertEqual(entry.user, martin)
        self.assertEqual(entry.label, "Léa M.")
        self.assertEqual(entry.data["medium"], Medium.WEB)
        self.assertEqual(entry.data["user_id"], martin.pk)
        self.assertEqual(entry.message, "Accord retiré")

        # The same decision again records nothing, and writes nothing.
        self.assertIsNone(record_consent(lea, Medium.WEB, False, martin))
        self.assertEqual(entries("ent.consent.withdrawn", lea).count(), 1)

    def test_a_director_records_a_paper_consent_in_their_own_name(self):
        director = user("dir.lefevre")
        pupil = Pupil.objects.filter(classroom__title="CE1 de M. Garnier").first()
        self.client.force_login(director)
        for answer in ("no", "yes"):
            self.client.post(
                f"/admin/pupils/consent/{pupil.pk}/",
                {"medium": Medium.ENT, "given": answer},
            )
        entry = entries("ent.consent.given", pupil).last()
        self.assertEqual(entry.user, director)
        self.assertEqual(entry.data["medium"], Medium.ENT)
        self.assertEqual(entry.data["school_year"], current_school_year())
        # Not a family: deleting the director's account keeps the pupil's name.
        self.assertNotIn("user_id", entry.data)
        withdrawn = entries("ent.consent.withdrawn", pupil).last()
        self.assertLess(withdrawn.pk, entry.pk)
        self.assertEqual(withdrawn.user, director)


class MembershipLogTests(TestCase):
    def test_a_membership_given_and_removed_names_who_and_why_without_email(self):
        director = user("dir.lefevre")
        leroy = user("famille.leroy")
        classroom = ClassroomPage.objects.get(title="CM2 de M. Lefèvre")
        with because("Inscription en cours d'année", user=director):
            membership = Membership.objects.create(
                user=leroy,
                role=Membership.Role.FAMILY,
                school=classroom.get_parent().specific,
                classroom=classroom,
            )
        added = entries("ent.membership.added", membership).get()
        self.assertEqual(added.user, director)
        self.assertEqual(added.data["reason"], "Inscription en cours d'année")
        self.assertEqual(added.data["user_id"], leroy.pk)
        self.assertEqual(added.data["class"], "CM2 de M. Lefèvre")
        self.assertIn(leroy.get_full_name(), added.label)
        self.assertIn("Famille", added.label)
        self.assertIsNone(EMAIL.search(added.label), added.label)
        self.assertEqual(
            added.message, "Rattachement ajouté\u00a0: Inscription en cours d'année"
        )

        # Removed from the admin: Wagtail's log context names the director.
        self.client.force_login(director)
        response = self.client.post(f"/admin/memberships/delete/{membership.pk}/")
        self.assertEqual(response.status_code, 302)
        removed = entries("ent.membership.removed", membership).get()
        self.assertEqual(removed.user, director)
        self.assertIsNone(EMAIL.search(removed.label), removed.label)

    def test_deleting_a_class_logs_the_memberships_it_ends(self):
        classroom = ClassroomPage.objects.get(slug="gs-perrin")
        members = set(
            Membership.objects.filter(classroom=classroom).values_list("pk", flat=True)
        )
        self.assertTrue(members)
        with because("Classe fermée", user=user("ien.dubois")):
            classroom.delete()
        removed = ModelLogEntry.objects.filter(action="ent.membership.removed")
        self.assertEqual(
            {int(pk) for pk in removed.values_list("object_id", flat=True)}, members
        )
        for entry in removed:
            self.assertEqual(entry.data["class"], "GS de M. Perrin")
            self.assertEqual(entry.data["reason"], "Classe fermée")


def news_form(news, audience):
    return nested_form_data(
        {
            "action-publish": "action-publish",
            "title": news.title,
            "slug": news.slug,
            "audience": audience,
            "date": news.date.isoformat(),
            "intro": news.intro,
            "body": streamfield([("paragraph", rich_text("<p>Bonne rentrée.</p>"))]),
            "tags": "",
        }
    )


class AudienceLogTests(TestCase):
    def test_publishing_another_audience_writes_one_entry_and_the_same_none(self):
        director = user("dir.lefevre")
        school = SchoolPage.objects.get(slug="jules-ferry")
        news = (
            NewsPage.objects.live()
            .descendant_of(school)
            .filter(audience="community", audience_info__audience="community")
            .first()
        )
        self.client.force_login(director)
        response = self.client.post(
            f"/admin/pages/{news.pk}/edit/", news_form(news, "directors")
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        entry = entries("ent.audience.changed", news).get()
        self.assertEqual(entry.user, director)
        self.assertEqual(
            (entry.data["from"], entry.data["to"]), ("community", "directors")
        )
        self.assertEqual(entry.data["pages"], 1)

        # Published again with the same audience: nothing changed, nothing written.
        self.client.post(f"/admin/pages/{news.pk}/edit/", news_form(news, "directors"))
        self.assertEqual(entries("ent.audience.changed", news).count(), 1)


class PhotoRemovalLogTests(TestCase):
    def test_a_withdrawal_takes_the_photo_off_and_says_why_not_by_nobody(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        martin = user("famille.martin")
        lea = Pupil.objects.get(first_name="Léa")
        start = timezone.now()
        self.client.force_login(martin)
        self.client.post("/mon-compte/", {"pupil": lea.pk, "medium": Medium.ENT})

        entry = entries("ent.photo.removed", news).get()
        self.assertEqual(entry.data["images"], ["Photo de groupe au musée"])
        self.assertIn("Photo de groupe au musée", entry.data["reason"])
        self.assertIn("pas d'accord pour 1 élève", entry.data["reason"])
        # The pupil is counted, not named: the entry outlives the consents.
        self.assertNotIn("Léa", entry.data["reason"])
        # No « Publié » by nobody beside it.
        self.assertEqual(
            list(
                PageLogEntry.objects.filter(page=news, timestamp__gte=start)
                .exclude(action__startswith="ent.")
                .values_list("action", flat=True)
            ),
            [],
        )

    def test_a_removal_within_a_change_gives_that_change_as_its_reason(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        lea = Pupil.objects.get(first_name="Léa")
        team = user("ien.dubois")
        with because("Effacement demandé par la famille", user=team):
            record_consent(lea, Medium.ENT, False, team)
        entry = entries("ent.photo.removed", news).get()
        self.assertEqual(entry.data["reason"], "Effacement demandé par la famille")
        self.assertEqual(entry.user, team)


class ImportLogTests(TestCase):
    def test_an_onde_import_is_logged_with_its_uploader_and_its_memberships_why(self):
        director = user("dir.lefevre")
        school = SchoolPage.objects.get(slug="jules-ferry")
        classes = list(
            ClassroomPage.objects.child_of(school).values_list("title", flat=True)
        )
        data = sample.onde_file(sample.onde_rows(classes, pupils=6, seed=11))
        self.client.force_login(director)
        self.client.post(
            f"/admin/onde/ecole/{school.pk}/",
            {"file": SimpleUploadedFile("rentree.csv", data, content_type="text/csv")},
        )
        onde_import = OndeImport.objects.latest("pk")
        self.client.post(f"/admin/onde/{onde_import.pk}/appliquer/")
        onde_import.refresh_from_db()
        self.assertEqual(onde_import.status, OndeImport.Status.DONE)

        entry = entries("ent.import.applied", onde_import).get()
        self.assertEqual(entry.user, director)
        self.assertEqual(entry.data["reason"], "Import ONDE de rentree.csv")
        self.assertEqual(entry.data["school"], school.title)
        self.assertEqual(entry.data["counts"]["pupils"]["create"], 6)
        added = ModelLogEntry.objects.filter(
            action="ent.membership.added", timestamp__gte=entry.timestamp
        ) | ModelLogEntry.objects.filter(
            action="ent.membership.added", data__reason="Import ONDE de rentree.csv"
        )
        self.assertTrue(added.exists())
        for each in added:
            self.assertEqual(each.user, director)
            self.assertEqual(each.data["reason"], "Import ONDE de rentree.csv")
            self.assertIsNone(EMAIL.search(each.label), each.label)

    def test_a_staff_import_is_logged_with_the_team_member_who_applied_it(self):
        from tests.test_onboarding_staff import GOOD

        team = user("ien.dubois")
        garnier = user("ens.garnier")
        data = GOOD.format(garnier=garnier.email).encode("iso-8859-15")
        self.client.force_login(team)
        self.client.post(
            "/admin/onde/personnels/",
            {"file": SimpleUploadedFile("annuaire.csv", data, content_type="text/csv")},
        )
        staff_import = OndeImport.objects.latest("pk")
        self.client.post(f"/admin/onde/personnels/{staff_import.pk}/appliquer/")

        entry = entries("ent.import.applied", staff_import).get()
        self.assertEqual(entry.user, team)
        self.assertEqual(entry.data["kind"], OndeImport.Kind.STAFF)
        self.assertEqual(entry.data["counts"]["create"], 2)
        added = ModelLogEntry.objects.filter(
            action="ent.membership.added",
            data__reason="Import des personnels de annuaire.csv",
        )
        self.assertEqual(added.count(), 4 + 1)
        self.assertEqual({each.user for each in added}, {team})
        for each in added:
            self.assertIsNone(EMAIL.search(each.label), each.label)


class JournalTests(TestCase):
    def setUp(self):
        martin = user("famille.martin")
        self.lea = Pupil.objects.get(first_name="Léa", families=martin)
        with because("Changement d'avis de la famille"):
            record_consent(self.lea, Medium.WEB, False, martin)

    def test_the_team_reads_the_entries_with_label_and_reason(self):
        self.client.force_login(user("cpc.marchand"))
        response = self.client.get("/admin/journal/")
        self.assertContains(response, "Journal des données personnelles")
        self.assertContains(response, "Accord retiré")
        self.assertContains(response, "Changement d&#x27;avis de la famille")
        self.assertContains(response, "Léa M.")
        self.assertContains(response, user("famille.martin").get_full_name())
        # The menu offers it to the team.
        self.assertContains(self.client.get("/admin/"), "/admin/journal/")

    def test_a_deleted_account_is_named_no_more(self):
        from departures.deletion import delete_account

        martin = user("famille.martin")
        delete_account(martin, by=user("ien.dubois"), reason="Demande d'effacement")
        self.client.force_login(user("ien.dubois"))
        response = self.client.get(
            "/admin/journal/results/", {"action": "ent.consent.withdrawn"}
        )
        self.assertContains(response, "un compte supprimé")
        self.assertNotContains(response, "Martin")

    def test_staff_and_others_get_a_404(self):
        for username in ("dir.lefevre", "ens.moreau"):
            self.client.force_login(user(username))
            self.assertEqual(self.client.get("/admin/journal/").status_code, 404)
            self.assertNotContains(self.client.get("/admin/"), "/admin/journal/")

    def test_the_view_refuses_anyone_but_the_team_by_itself(self):
        """Not only the staff allowlist: the view's own check."""
        from django.http import Http404
        from django.test import RequestFactory

        from audit.journal import JournalView

        for username in ("dir.lefevre", "ens.moreau", "famille.martin"):
            request = RequestFactory().get("/admin/journal/")
            request.user = user(username)
            with self.assertRaises(Http404):
                JournalView.as_view()(request)

    def test_filters_by_action_and_period(self):
        self.client.force_login(user("ien.dubois"))
        response = self.client.get(
            "/admin/journal/results/", {"action": "ent.membership.added"}
        )
        self.assertNotContains(response, "Accord retiré")
        self.assertContains(response, "Rattachement ajouté")
        response = self.client.get(
            "/admin/journal/results/", {"action": "ent.consent.withdrawn"}
        )
        self.assertContains(response, "Accord retiré")
        self.assertNotContains(response, "Rattachement ajouté")

        today = timezone.localdate()
        last_year = today - datetime.timedelta(days=400)
        response = self.client.get(
            "/admin/journal/results/",
            {
                "timestamp_from": last_year.isoformat(),
                "timestamp_to": (last_year + datetime.timedelta(days=1)).isoformat(),
            },
        )
        self.assertNotContains(response, "Accord retiré")
        response = self.client.get(
            "/admin/journal/results/",
            {"timestamp_from": today.isoformat(), "timestamp_to": today.isoformat()},
        )
        self.assertContains(response, "Accord retiré")

    def test_the_csv_export_has_the_reason(self):
        self.client.force_login(user("ien.dubois"))
        response = self.client.get(
            "/admin/journal/", {"action": "ent.consent.withdrawn", "export": "csv"}
        )
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content).decode()
        self.assertIn("Accord retiré", content)
        self.assertIn("Changement d'avis de la famille", content)
        now = timezone.localtime()
        self.assertIn(f"{now:%d/%m/%Y} ", content)
        self.assertIn("Léa M.", content)
        response = self.client.get("/admin/journal/", {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)


class ConsentHistoryTests(TestCase):
    def setUp(self):
        self.martin = user("famille.martin")
        self.lea = Pupil.objects.get(first_name="Léa", families=self.martin)
        self.url = f"/admin/pupils/consent/{self.lea.pk}/history/"

    def test_the_director_sees_who_recorded_each_decision_and_when(self):
        with time_machine.travel(
            datetime.datetime(2027, 1, 5, 18, 5, tzinfo=datetime.UTC)
        ):
            record_consent(self.lea, Medium.WEB, False, self.martin)
        with time_machine.travel(
            datetime.datetime(2027, 1, 12, 8, 30, tzinfo=datetime.UTC)
        ):
            record_consent(self.lea, Medium.WEB, True, user("dir.lefevre"))
        self.client.force_login(user("dir.lefevre"))
        response = self.client.get(self.url)
        self.assertContains(response, "Historique des accords")
        self.assertContains(response, f"la famille ({self.martin.get_full_name()})")
        self.assertContains(
            response, f"la direction ({user('dir.lefevre').get_full_name()})"
        )
        self.assertContains(response, "5 janvier 2027, 19 h 05")
        self.assertContains(response, "12 janvier 2027, 9 h 30")
        html = response.content.decode()
        # The latest first.
        self.assertLess(html.index("12 janvier 2027"), html.index("5 janvier 2027"))

    def test_reached_from_the_pupils_listing(self):
        self.client.force_login(user("dir.lefevre"))
        response = self.client.get("/admin/pupils/")
        self.assertContains(response, self.url)

    def test_out_of_scope_is_a_404(self):
        for username in ("dir.chevalier", "ens.moreau", "famille.martin"):
            self.client.force_login(user(username))
            response = self.client.get(self.url)
            # Staff: a 404; a family has no admin (Wagtail sends them away).
            self.assertIn(response.status_code, (302, 404), username)
            self.assertNotIn("Historique des accords", response.content.decode())
        self.client.force_login(user("ien.dubois"))
        self.assertEqual(self.client.get(self.url).status_code, 200)


class PurgeTests(TestCase):
    @override_settings(ENT_AUDIT_LOG_DAYS=30)
    def test_purge_deletes_old_entries_only(self):
        martin = user("famille.martin")
        lea = Pupil.objects.get(first_name="Léa", families=martin)
        with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
            record_consent(lea, Medium.WEB, False, martin)
            old = entries("ent.consent.withdrawn", lea).get()
            wagtail_old = ModelLogEntry.objects.log_action(lea, "wagtail.edit")
        self.assertIsNotNone(record_consent(lea, Medium.WEB, False, martin))
        recent = entries("ent.consent.withdrawn", lea).last()
        self.assertNotEqual(recent.pk, old.pk)

        out = io.StringIO()
        call_command("purge_audit_log", stdout=out)
        self.assertFalse(ModelLogEntry.objects.filter(pk=old.pk).exists())
        self.assertTrue(ModelLogEntry.objects.filter(pk=recent.pk).exists())
        # Wagtail's own entries about people and media go too (a page's own
        # history stays with the page).
        self.assertFalse(ModelLogEntry.objects.filter(pk=wagtail_old.pk).exists())
        # The consents themselves stay: the history still reads them.
        self.assertEqual(lea.image_consents.filter(medium=Medium.WEB).count(), 3)
        self.assertIn("2 entrées", out.getvalue())


def test_the_team_sees_the_entries_in_wagtails_site_history_too(client, db):
    client.force_login(user("ien.dubois"))
    martin = user("famille.martin")
    lea = Pupil.objects.get(first_name="Léa", families=martin)
    record_consent(lea, Medium.WEB, False, martin)
    assert not user("ien.dubois").is_superuser
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Accord retiré" in html
    assert "Rattachement ajouté" in html
