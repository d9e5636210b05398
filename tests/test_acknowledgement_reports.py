"""Read acknowledgements: who confirmed a news item, who has not, by class; a
reminder for the latter and a CSV export, for the author, the director of the
school and the district team only."""

import csv
import io

from django.contrib import messages
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inbox.models import Recipient
from news.models import NewsIndexPage, NewsPage
from schools.models import ClassroomPage
from tests.conftest import user
from tests.factories import NewsPageFactory

BOM = "\ufeff"


def publish_news(title, **kwargs):
    """A news item of Mme Moreau's CP asking for an acknowledgement,
    published as in the admin: its recipients are recorded by the task."""
    news = NewsPageFactory(
        parent=ClassroomPage.objects.get(slug="cp-moreau"),
        title=title,
        intro="Merci de confirmer que vous avez bien pris connaissance de ce message.",
        acknowledgement_required=True,
        audience="community",
        owner=user("ens.moreau"),
        **kwargs,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        news.save_revision().publish()
    return NewsPage.objects.get(pk=news.pk)


class AcknowledgementReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = publish_news("Réunion de rentrée")
        cls.index_url = "/admin/accuses-de-lecture/"
        cls.report_url = f"/admin/accuses-de-lecture/{cls.news.pk}/"
        cls.export_url = f"{cls.report_url}export.csv"
        cls.remind_url = f"{cls.report_url}relance/"

    def recipients(self):
        return Recipient.objects.filter(page_id=self.news.pk)

    def asked(self):
        """Those asked to confirm: neither the author nor the director."""
        return self.recipients().filter(asked_to_acknowledge=True)

    def acknowledge(self, username):
        self.client.force_login(user(username))
        # Followed: the feed shows (and so consumes) the thank-you message.
        response = self.client.post(f"/mon-fil/accuse/{self.news.pk}/", follow=True)
        self.assertEqual(response.status_code, 200)

    def report(self, username="ens.moreau"):
        self.client.force_login(user(username))
        response = self.client.get(self.report_url)
        self.assertEqual(response.status_code, 200)
        return response

    def remind(self, username="dir.lefevre"):
        self.client.force_login(user(username))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.remind_url, follow=True)
        self.assertEqual(response.status_code, 200)
        return list(response.context["messages"])

    def test_recipients_are_recorded_at_publication(self):
        addressed = set(self.recipients().values_list("user__username", flat=True))
        self.assertTrue(
            {"dir.lefevre", "ens.moreau", "famille.martin", "famille.leroy"}
            <= addressed
        )
        self.assertNotIn("ens.garnier", addressed)
        self.assertNotIn("dir.chevalier", addressed)

    def test_author_and_director_receive_it_without_being_asked(self):
        asked = set(self.asked().values_list("user__username", flat=True))
        self.assertIn("famille.leroy", asked)
        self.assertNotIn("ens.moreau", asked)  # its author
        self.assertNotIn("dir.lefevre", asked)  # the school's director
        response = self.report()
        self.assertEqual(response.context["total"], len(asked))
        listed = {
            r.user.username
            for group in response.context["pending_groups"]
            for r in group["recipients"]
        }
        self.assertEqual(listed, asked)
        for username in ("ens.moreau", "dir.lefevre"):
            with self.subTest(username=username):
                self.client.force_login(user(username))
                feed = self.client.get("/mon-fil/").context["news_page"]
                card = next(news for news in feed if news.pk == self.news.pk)
                self.assertFalse(card.awaits_acknowledgement)
                page = self.client.get(self.news.url)
                self.assertIsNone(page.context["recipient"])
                response = self.client.post(f"/mon-fil/accuse/{self.news.pk}/")
                self.assertEqual(response.status_code, 404)
        self.assertFalse(self.recipients().exclude(acknowledged_at=None).exists())

    def test_directors_are_asked_for_district_news(self):
        """No school, so no school's director: directors addressed by the
        district are asked like anyone else."""
        news = NewsPageFactory(
            parent=NewsIndexPage.objects.get(),
            title="Conseil des maîtres : calendrier",
            intro="Merci de confirmer la date du conseil.",
            acknowledgement_required=True,
            audience="directors",
            owner=user("ien.dubois"),
        )
        with self.captureOnCommitCallbacks(execute=True):
            news.save_revision().publish()
        asked = Recipient.objects.filter(page_id=news.pk, asked_to_acknowledge=True)
        self.assertIn("dir.lefevre", asked.values_list("user__username", flat=True))

    def test_counts_change_after_a_family_acknowledges(self):
        total = self.asked().count()
        response = self.report()
        self.assertEqual(response.context["total"], total)
        self.assertEqual(response.context["confirmed_count"], 0)

        self.acknowledge("famille.leroy")
        self.acknowledge("famille.leroy")  # a second click counts once

        response = self.report()
        self.assertEqual(response.context["confirmed_count"], 1)
        self.assertEqual(response.context["pending_count"], total - 1)
        confirmed = response.context["confirmed"]
        self.assertEqual([r.user.username for r in confirmed], ["famille.leroy"])
        self.assertContains(response, "Leroy Sandrine")
        listing = self.client.get(self.index_url)
        self.assertContains(listing, "Réunion de rentrée")
        self.assertContains(listing, f"1 / {total}")

    def test_those_who_have_not_confirmed_are_grouped_by_class(self):
        self.acknowledge("famille.leroy")
        groups = {
            group["label"]: [r.user.username for r in group["recipients"]]
            for group in self.report().context["pending_groups"]
        }
        # The author and the director are not asked.
        self.assertNotIn("École élémentaire Jules-Ferry", groups)
        self.assertNotIn("ens.moreau", groups["CP de Mme Moreau"])
        self.assertIn("famille.martin", groups["CP de Mme Moreau"])
        self.assertNotIn("famille.leroy", groups["CP de Mme Moreau"])
        response = self.report()
        self.assertContains(response, user("famille.martin").email)
        self.assertContains(response, "CP de Mme Moreau")

    def test_author_director_and_district_team_see_the_report(self):
        for username in ("ens.moreau", "dir.lefevre", "ien.dubois"):
            with self.subTest(username=username):
                self.client.force_login(user(username))
                self.assertContains(
                    self.client.get(self.report_url), "Réunion de rentrée"
                )
                self.assertContains(self.client.get(self.index_url), self.report_url)
                self.assertEqual(self.client.get(self.export_url).status_code, 200)
                admin = self.client.get("/admin/").content.decode()
                self.assertIn(self.index_url, admin)

    def test_anyone_else_gets_a_404(self):
        for username in ("dir.chevalier", "ens.garnier"):
            with self.subTest(username=username):
                self.client.force_login(user(username))
                for url in (self.report_url, self.export_url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(self.remind_url).status_code, 404)
                listing = self.client.get(self.index_url)
                self.assertEqual(listing.status_code, 200)
                self.assertNotContains(listing, "Réunion de rentrée")
        # Families have no admin access at all: Wagtail sends them to log in.
        self.client.force_login(user("famille.martin"))
        for response in (
            self.client.get(self.report_url),
            self.client.get(self.export_url),
            self.client.post(self.remind_url),
        ):
            self.assertEqual(response.status_code, 302)
            self.assertIn("/admin/login/", response["Location"])
        self.assertFalse(self.recipients().exclude(reminded_at=None).exists())
        self.assertEqual(mail.outbox, [])

    def test_crafted_ids_get_a_404(self):
        self.client.force_login(user("ien.dubois"))
        without_acknowledgement = NewsPage.objects.filter(
            acknowledgement_required=False
        ).first()
        for pk in (without_acknowledgement.pk, 999999):
            with self.subTest(pk=pk):
                url = f"/admin/accuses-de-lecture/{pk}/"
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.get(f"{url}export.csv").status_code, 404)
                self.assertEqual(self.client.post(f"{url}relance/").status_code, 404)

    def test_menu_item_only_for_those_with_a_report(self):
        self.client.force_login(user("ens.garnier"))
        self.assertNotIn(self.index_url, self.client.get("/admin/").content.decode())

    def test_reminder_goes_only_to_those_who_have_not_confirmed(self):
        self.acknowledge("famille.leroy")
        mail.outbox.clear()
        pending = self.asked().filter(acknowledged_at=None)
        expected = {r.user.email for r in pending.select_related("user")}

        sent = self.remind()

        self.assertEqual(sent[0].level, messages.SUCCESS)
        self.assertIn(str(len(expected)), sent[0].message)
        self.assertEqual({m.to[0] for m in mail.outbox}, expected)
        self.assertNotIn(user("famille.leroy").email, expected)
        self.assertNotIn(user("ens.moreau").email, expected)
        self.assertNotIn(user("dir.lefevre").email, expected)
        self.assertFalse(pending.filter(reminded_at=None).exists())
        leroy = self.recipients().get(user__username="famille.leroy")
        self.assertIsNone(leroy.reminded_at)

        # A double submit reminds nobody twice.
        again = self.remind()
        self.assertEqual(again[0].level, messages.INFO)
        self.assertEqual(len(mail.outbox), len(expected))

        # A GET does nothing.
        self.assertEqual(self.client.get(self.remind_url).status_code, 405)

    def test_reminder_when_everyone_has_confirmed_sends_nothing(self):
        self.recipients().update(acknowledged_at=timezone.now())
        mail.outbox.clear()
        sent = self.remind("ien.dubois")
        self.assertEqual(sent[0].level, messages.INFO)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(self.recipients().exclude(reminded_at=None).exists())

    def test_no_reminder_for_an_unpublished_news_item(self):
        self.news.unpublish()
        mail.outbox.clear()
        sent = self.remind()
        self.assertEqual(sent[0].level, messages.WARNING)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(self.recipients().exclude(reminded_at=None).exists())

    def test_csv_export_for_spreadsheets(self):
        self.acknowledge("famille.martin")
        leroy = user("famille.leroy")
        leroy.last_name = '=HYPERLIEN("http://x")'
        leroy.save()
        self.client.force_login(user("ien.dubois"))
        response = self.client.get(self.export_url)

        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="accuses-reunion-de-rentree.csv"',
        )
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith(BOM))
        rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        header, rows = rows[0], rows[1:]
        self.assertEqual(header[:5], ["Classe", "École", "Nom", "Courriel", "Rôle"])
        self.assertEqual(len(header), 6)
        self.assertEqual(len(rows), self.asked().count())
        by_email = {row[3]: row for row in rows}
        self.assertEqual(by_email[leroy.email][2], '\'=HYPERLIEN("http://x") Sandrine')
        self.assertEqual(by_email[leroy.email][5], "")
        martin = by_email[user("famille.martin").email]
        self.assertEqual(
            martin[:2], ["CP de Mme Moreau", "École élémentaire Jules-Ferry"]
        )
        self.assertEqual(martin[4], "Famille")
        self.assertRegex(martin[5], r"^\d\d/\d\d/\d{4} \d\d:\d\d$")
        # Neither the author nor the director; by school, class and name.
        self.assertNotIn(user("dir.lefevre").email, by_email)
        self.assertNotIn(user("ens.moreau").email, by_email)
        keys = [(row[1], row[0], row[2]) for row in rows]
        self.assertEqual(keys, sorted(keys))


class ReportListingQueryCountTests(TestCase):
    """The listing costs as many queries with one news item as with three."""

    def count_queries(self):
        self.client.get("/admin/accuses-de-lecture/")  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/admin/accuses-de-lecture/")
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_the_news(self):
        for username in ("ien.dubois", "dir.lefevre", "ens.moreau"):
            with self.subTest(username=username):
                self.client.force_login(user(username))
                publish_news(f"Photo de classe ({username})")
                one = self.count_queries()
                publish_news(f"Piscine : autorisation ({username})")
                publish_news(f"Kermesse de fin d'année ({username})")
                self.assertEqual(self.count_queries(), one)
