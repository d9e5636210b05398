"""What is addressed to each person (DESIGN §7): the feed, unread markers,
acknowledgements, recipients at publication, e-mails and unsubscribing."""

import email
import email.policy
import re

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils.html import escape

from accounts.models import Membership
from inbox import notifications
from inbox.models import NotificationChoice, ReadMark, Recipient
from inbox.notifications import notify, unsubscribe_url
from news.models import NewsPage
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import user
from tests.factories import MembershipFactory, NewsPageFactory, UserFactory
from tests.mail_backends import CrashingEmailBackend
from visibility.audience import Audience

MUSEUM = "Sortie au musée des Beaux-Arts"


def unread_count(response):
    """The number beside "Mon fil" in the header."""
    found = re.search(r'id="unread-count">.*?(\d+)</span>', response.content.decode())
    return int(found.group(1)) if found else 0


def feed_titles(response):
    return [news.title for news in response.context["news_page"].object_list]


class FeedTests(TestCase):
    def test_a_family_gets_what_is_addressed_to_it_newest_first(self):
        self.client.force_login(user("famille.leroy"))
        response = self.client.get("/mon-fil/")
        titles = feed_titles(response)
        # Their class, their school and the district...
        self.assertIn(MUSEUM, titles)
        self.assertIn(
            "Semaine des mathématiques : des défis à relever en famille", titles
        )
        # ... never staff news, nor other schools' or classes' news.
        self.assertNotIn("Décloisonnement en lecture avec le CE1", titles)
        self.assertNotIn("Conseil des directeurs et directrices du 10 décembre", titles)
        for news in response.context["news_page"].object_list:
            self.assertIn(news.audience, (Audience.PUBLIC, Audience.COMMUNITY))
        others = NewsPage.objects.child_of(
            ClassroomPage.objects.get(slug="ce1-garnier")
        )
        self.assertFalse(set(titles) & set(others.values_list("title", flat=True)))
        dates = [news.date for news in response.context["news_page"].object_list]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_sources_filter_the_feed(self):
        self.client.force_login(user("famille.leroy"))
        classroom = feed_titles(self.client.get("/mon-fil/?source=classe"))
        district = feed_titles(self.client.get("/mon-fil/?source=circonscription"))
        self.assertIn(MUSEUM, classroom)
        self.assertNotIn(MUSEUM, district)
        self.assertIn(
            "Semaine des mathématiques : des défis à relever en famille", district
        )
        # Unknown sources show everything rather than an error.
        everything = self.client.get("/mon-fil/?source=<script>&page=abc")
        self.assertEqual(everything.status_code, 200)

    def test_staff_news_reach_teachers(self):
        self.client.force_login(user("ens.moreau"))
        titles = feed_titles(self.client.get("/mon-fil/?source=classe"))
        self.assertIn("Décloisonnement en lecture avec le CE1", titles)

    def test_opening_a_news_item_clears_its_unread_marker(self):
        self.client.force_login(user("famille.leroy"))
        before = self.client.get("/mon-fil/")
        count = unread_count(before)
        museum = NewsPage.objects.get(title=MUSEUM)
        unread = {news.pk: not news.is_read for news in before.context["news_page"]}
        self.assertTrue(unread[museum.pk])

        self.client.get(museum.url)
        after = self.client.get("/mon-fil/")
        self.assertFalse(
            {news.pk: not news.is_read for news in after.context["news_page"]}[
                museum.pk
            ]
        )
        self.assertEqual(unread_count(after), count - 1)

    def test_visitors_are_sent_to_log_in(self):
        response = self.client.get("/mon-fil/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/connexion/", response["Location"])


class AcknowledgementTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.museum = NewsPage.objects.get(title=MUSEUM)

    def test_one_click_one_record_whatever_the_clicks(self):
        self.client.force_login(user("famille.leroy"))
        page = self.client.get(self.museum.url)
        self.assertContains(page, "J’ai pris connaissance")
        for _click in range(3):
            self.client.post(f"/mon-fil/accuse/{self.museum.pk}/")
        recipient = Recipient.objects.get(page=self.museum, user=user("famille.leroy"))
        first = recipient.acknowledged_at
        self.assertIsNotNone(first)
        self.client.post(f"/mon-fil/accuse/{self.museum.pk}/")
        recipient.refresh_from_db()
        self.assertEqual(recipient.acknowledged_at, first)
        self.assertEqual(
            Recipient.objects.filter(
                page=self.museum, user=user("famille.leroy")
            ).count(),
            1,
        )
        self.assertNotContains(
            self.client.get(self.museum.url), "J’ai pris connaissance"
        )

    def test_from_the_feed_too(self):
        self.client.force_login(user("famille.martin"))
        feed = self.client.get("/mon-fil/")
        self.assertContains(feed, f'action="/mon-fil/accuse/{self.museum.pk}/"')
        response = self.client.post(
            f"/mon-fil/accuse/{self.museum.pk}/", {"next": "/mon-fil/"}
        )
        self.assertEqual(response["Location"], "/mon-fil/")
        self.assertTrue(
            ReadMark.objects.filter(
                user=user("famille.martin"), page=self.museum
            ).exists()
        )

    def test_only_recipients_acknowledge(self):
        self.client.force_login(user("famille.bernard"))
        response = self.client.post(f"/mon-fil/accuse/{self.museum.pk}/")
        self.assertEqual(response.status_code, 404)
        # An outside address in "next" is not followed.
        self.client.force_login(user("famille.leroy"))
        response = self.client.post(
            f"/mon-fil/accuse/{self.museum.pk}/", {"next": "https://exemple.com/"}
        )
        self.assertEqual(response["Location"], "/mon-fil/")


class PublicationTests(TestCase):
    """Recipients are computed when a news item is published, and e-mailed."""

    def publish(self, parent, title, audience, acknowledgement=False):
        news = NewsPageFactory(
            parent=parent,
            title=title,
            audience=audience,
            intro="Détail privé : le code du portail est 4512.",
            acknowledgement_required=acknowledgement,
        )
        with self.captureOnCommitCallbacks(execute=True):
            news.save_revision().publish()
        return news

    def recipients(self, news):
        return set(
            Recipient.objects.filter(page=news).values_list("user__username", flat=True)
        )

    def test_a_class_news_goes_to_its_families_teachers_and_director(self):
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        news = self.publish(classroom, "Piscine le jeudi", Audience.COMMUNITY, True)
        self.assertEqual(
            self.recipients(news),
            {"famille.leroy", "famille.martin", "ens.moreau", "dir.lefevre"},
        )
        addressed = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(
            set(addressed),
            {user(name).email for name in self.recipients(news)},
        )
        message = addressed[user("famille.leroy").email]
        self.assertIn("Piscine le jeudi", message.subject)
        self.assertIn("CP de Mme Moreau", message.subject)
        self.assertIn("http://", message.body)
        self.assertIn(news.url, message.body)
        self.assertIn("/desabonnement/", message.body)
        self.assertIn("J’ai pris connaissance", message.body)
        # Never the content itself.
        self.assertNotIn("4512", message.body)
        self.assertIn("/desabonnement/", message.extra_headers["List-Unsubscribe"])

    def test_staff_news_are_not_sent_to_families(self):
        school = SchoolPage.objects.get(slug="jules-ferry")
        news = self.publish(school, "Conseil des maîtres de janvier", Audience.STAFF)
        self.assertNotIn("famille.leroy", self.recipients(news))
        self.assertIn("ens.garnier", self.recipients(news))
        self.assertNotIn(
            user("famille.leroy").email, [message.to[0] for message in mail.outbox]
        )

    def test_recipients_are_those_of_the_publication_day(self):
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        news = self.publish(classroom, "Photo de classe", Audience.COMMUNITY, True)
        newcomer = UserFactory(username="famille.nouvelle", email="nouvelle@exemple.fr")
        MembershipFactory(
            user=newcomer,
            role=Membership.Role.FAMILY,
            school=classroom.get_parent().specific,
            classroom=classroom,
        )
        Membership.objects.filter(user=user("famille.leroy")).delete()
        # The family that left keeps its record for the sender, not its access.
        self.assertIn("famille.leroy", self.recipients(news))
        self.assertNotIn("famille.nouvelle", self.recipients(news))
        self.client.force_login(user("famille.leroy"))
        self.assertEqual(self.client.get(news.url).status_code, 403)

    def test_choices_of_frequency(self):
        NotificationChoice.objects.create(
            user=user("famille.leroy"), frequency=NotificationChoice.Frequency.DAILY
        )
        NotificationChoice.objects.create(
            user=user("famille.martin"), frequency=NotificationChoice.Frequency.NEVER
        )
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        news = self.publish(classroom, "Fête de fin d'année", Audience.COMMUNITY)
        sent_to = [message.to[0] for message in mail.outbox]
        self.assertNotIn(user("famille.leroy").email, sent_to)
        self.assertNotIn(user("famille.martin").email, sent_to)
        self.assertIn(user("ens.moreau").email, sent_to)

        mail.outbox.clear()
        call_command("send_digests", stdout=open("/dev/null", "w"))
        self.assertEqual(
            [message.to[0] for message in mail.outbox], [user("famille.leroy").email]
        )
        self.assertIn("Fête de fin d'année", mail.outbox[0].body)
        self.assertIn(news.full_url, mail.outbox[0].body)
        # Cron runs it again tomorrow: nothing is sent twice.
        mail.outbox.clear()
        call_command("send_digests", stdout=open("/dev/null", "w"))
        self.assertEqual(mail.outbox, [])

    @override_settings(EMAIL_BACKEND="tests.mail_backends.CrashingEmailBackend")
    def test_a_mail_server_lost_mid_batch_loses_nothing_and_sends_nothing_twice(
        self,
    ):
        school = SchoolPage.objects.get(slug="jules-ferry")
        news = NewsPageFactory(
            parent=school, title="Kermesse", audience=Audience.COMMUNITY
        )
        news.save_revision().publish()  # no worker here: the e-mails wait
        total = len(self.recipients_of(news))
        self.assertGreater(total, 4)
        CrashingEmailBackend.sent, CrashingEmailBackend.allowed = 0, 3
        with self.assertLogs("inbox.notifications", "WARNING") as logs:
            self.assertEqual(notify(news.pk), 3)  # the server goes away
        self.assertIn("went away", "\n".join(logs.output))
        # Those not sent wait for the retry, after a delay.
        waiting = Recipient.objects.filter(
            page=news, notification=Recipient.Notification.PENDING
        )
        self.assertEqual(waiting.count(), total - 3)
        self.assertEqual(notify(news.pk, attempt=2), 0)
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            waiting.update(claimed_until=None)  # the delay has passed
            self.assertEqual(notify(news.pk, attempt=2), total - 3)
            self.assertEqual(notify(news.pk, attempt=3), 0)
        sent = [message.to[0] for message in mail.outbox]
        self.assertEqual(sorted(sent), sorted(set(sent)))
        self.assertEqual(len(sent), total)
        self.assertFalse(waiting.exists())

    @override_settings(EMAIL_BACKEND="tests.mail_backends.CrashingEmailBackend")
    def test_a_mail_server_down_for_good_is_given_up_and_logged(self):
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        news = NewsPageFactory(
            parent=classroom, title="Piscine", audience=Audience.COMMUNITY
        )
        news.save_revision().publish()
        CrashingEmailBackend.sent, CrashingEmailBackend.allowed = 0, 0
        rows = Recipient.objects.filter(page=news)
        with self.assertLogs("inbox.notifications", "WARNING") as logs:
            for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
                notify(news.pk, attempt=attempt)
                rows.update(claimed_until=None)  # each retry's delay passes
        self.assertEqual(
            set(rows.values_list("notification", flat=True)),
            {Recipient.Notification.FAILED},
        )
        self.assertEqual(
            set(rows.values_list("attempts", flat=True)), {notifications.MAX_ATTEMPTS}
        )
        self.assertTrue(any("ERROR" in line for line in logs.output))
        notify(news.pk, attempt=notifications.MAX_ATTEMPTS + 1)  # nothing more
        self.assertEqual(mail.outbox, [])

    @override_settings(EMAIL_BACKEND="tests.mail_backends.CrashingEmailBackend")
    def test_a_digest_run_cut_short_leaves_the_others_to_the_next_run(self):
        daily = ["famille.leroy", "famille.martin", "ens.moreau"]
        for name in daily:
            NotificationChoice.objects.create(
                user=user(name), frequency=NotificationChoice.Frequency.DAILY
            )
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        self.publish(classroom, "Spectacle de Noël", Audience.COMMUNITY)
        mail.outbox.clear()
        CrashingEmailBackend.sent, CrashingEmailBackend.allowed = 0, 1
        with (
            self.assertRaisesMessage(CommandError, "serveur de courriel"),
            self.assertLogs("inbox.notifications", "WARNING"),
        ):
            call_command("send_digests", stdout=open("/dev/null", "w"))
        self.assertEqual(len(mail.outbox), 1)
        Recipient.objects.update(claimed_until=None)  # the next day
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            call_command("send_digests", stdout=open("/dev/null", "w"))
            call_command("send_digests", stdout=open("/dev/null", "w"))
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            sorted(user(name).email for name in daily),
        )

    def test_control_characters_in_a_title_never_stop_an_e_mail(self):
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        title = (
            # No NUL: PostgreSQL refuses it in text, and so do Django's forms.
            "Sortie\r\nBcc: pirate@exemple.com\r\n\r\nau\tmusée\x0b\x1b"
            "\u202edes\u200b Beaux-Arts\u2028\x85 " + "très " * 35
        )
        news = NewsPageFactory(
            parent=classroom, title=title, audience=Audience.COMMUNITY
        )
        # A broken address stops only its own e-mail.
        broken = user("famille.martin")
        broken.email = "martin@exemple.fr\nBcc: pirate@exemple.com"
        broken.save()
        with self.captureOnCommitCallbacks(execute=True):
            news.save_revision().publish()
        addressed = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(
            set(addressed),
            {
                user(name).email
                for name in ("famille.leroy", "ens.moreau", "dir.lefevre")
            },
        )
        for message in mail.outbox:
            # What goes to the mail server, read back as a mail client does.
            raw = email.message_from_bytes(
                message.message().as_bytes(), policy=email.policy.default
            )
            self.assertIsNone(raw["Bcc"])
            subject = raw["Subject"].strip()
            self.assertEqual(subject, message.subject)
            self.assertTrue(
                subject.startswith(
                    "CP de Mme Moreau : Sortie Bcc: pirate@exemple.com au musée "
                    "des Beaux-Arts très"
                ),
                subject,
            )
            self.assertTrue(subject.endswith("…"))
            self.assertLessEqual(len(subject), notifications.SUBJECT_LENGTH)
            self.assertTrue(subject.isprintable(), subject)
            self.assertRegex(raw["List-Unsubscribe"], r"^\s*<http://\S+>$")
        self.assertEqual(
            Recipient.objects.get(page=news, user=broken).notification,
            Recipient.Notification.FAILED,
        )

    def recipients_of(self, news):
        from inbox.recipients import addressed_memberships

        return set(addressed_memberships(news).values_list("user_id", flat=True))


class UnsubscribeTests(TestCase):
    def test_one_click_without_logging_in(self):
        family = user("famille.leroy")
        url = unsubscribe_url(family).removeprefix("http://testserver")
        page = self.client.get(url)
        self.assertContains(page, "Ne plus recevoir ces courriels")
        self.assertEqual(NotificationChoice.of(family), "immediate")
        self.client.post(url)
        self.assertEqual(
            NotificationChoice.of(family), NotificationChoice.Frequency.NEVER
        )

    def test_a_forged_link_changes_nothing(self):
        response = self.client.post("/desabonnement/123:forged/")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(NotificationChoice.objects.exists())

    def test_the_account_page_sets_the_frequency(self):
        self.client.force_login(user("famille.petit"))
        self.assertContains(self.client.get("/mon-compte/"), "Une fois par jour")
        self.client.post("/mon-compte/courriels/", {"frequency": "daily"})
        self.assertEqual(NotificationChoice.of(user("famille.petit")), "daily")
        response = self.client.post("/mon-compte/courriels/", {"frequency": "hourly"})
        self.assertEqual(NotificationChoice.of(user("famille.petit")), "daily")
        self.assertEqual(response.status_code, 302)


def test_the_demo_manifest_gives_the_feed(tmp_path, db):
    import json

    path = tmp_path / "manifest.json"
    call_command("seed_demo", force=True, manifest=path, stdout=open("/dev/null", "w"))
    assert json.loads(path.read_text())["channels"]["my_feed"] == "/mon-fil/"


class DistrictAddressingTests(TestCase):
    """The team addresses one publication to a role, across the district or
    a chosen set of schools, instead of e-mails relayed by directors."""

    def publish(self, **fields):
        from news.models import NewsIndexPage

        schools = fields.pop("target_schools", [])
        news = NewsPageFactory(parent=NewsIndexPage.objects.get(), **fields)
        news.target_schools.set(schools)
        with self.captureOnCommitCallbacks(execute=True):
            news.save_revision().publish()
        return news

    def recipients(self, news):
        return set(
            Recipient.objects.filter(page=news).values_list("user__username", flat=True)
        )

    def test_families_of_chosen_schools_only(self):
        jules_ferry = SchoolPage.objects.get(slug="jules-ferry")
        news = self.publish(
            title="Enquête sur la restauration scolaire",
            audience=Audience.COMMUNITY,
            addressed_to="family",
            acknowledgement_required=True,
            target_schools=[jules_ferry],
        )
        families = set(
            Membership.objects.filter(school=jules_ferry, role="family").values_list(
                "user__username", flat=True
            )
        )
        self.assertEqual(self.recipients(news), families)
        self.assertIn("famille.leroy", families)
        self.assertEqual(
            {message.to[0] for message in mail.outbox},
            {user(name).email for name in families},
        )
        # Nobody outside those schools sees it, on any channel.
        for username in ("famille.nguyen", "ens.blanc", "dir.chevalier"):
            self.client.force_login(user(username))
            self.assertEqual(self.client.get(news.url).status_code, 403, username)
            self.assertNotIn(news.title, feed_titles(self.client.get("/mon-fil/")))
            self.assertNotContains(self.client.get("/actualites/"), news.title)
            self.assertNotContains(
                self.client.get("/recherche/?q=restauration"), news.title
            )
        self.client.force_login(user("ens.garnier"))
        self.assertEqual(self.client.get(news.url).status_code, 200)

    def reads(self, username, news):
        """Whether ``username`` reads ``news`` on its page, in the district's
        news and in *Mon fil* (the three agree, or the test fails)."""
        self.client.force_login(user(username))
        status = self.client.get(news.url).status_code
        listed = escape(news.title) in self.client.get("/actualites/").content.decode()
        in_feed = news.title in feed_titles(self.client.get("/mon-fil/"))
        self.assertIn(status, (200, 403), username)
        self.assertEqual({status == 200, listed, in_feed}, {status == 200}, username)
        return status == 200

    def test_staff_of_the_chosen_schools_read_news_for_families(self):
        """What the README says: staff of the chosen schools may read news
        addressed to families, to answer them, but are not e-mailed."""
        news = self.publish(
            title="Questionnaire aux familles sur les rythmes scolaires",
            audience=Audience.COMMUNITY,
            addressed_to="family",
            target_schools=[SchoolPage.objects.get(slug="jules-ferry")],
        )
        for username in ("famille.leroy", "ens.garnier", "dir.lefevre"):
            self.assertTrue(self.reads(username, news), username)
        for username in ("ens.blanc", "famille.nguyen", "dir.chevalier"):
            self.assertFalse(self.reads(username, news), username)
        self.assertIn("famille.leroy", self.recipients(news))
        self.assertNotIn("ens.garnier", self.recipients(news))
        self.assertNotIn("dir.lefevre", self.recipients(news))
        e_mailed = {message.to[0] for message in mail.outbox}
        self.assertNotIn(user("ens.garnier").email, e_mailed)
        self.assertNotIn(user("dir.lefevre").email, e_mailed)

    def test_news_for_teachers_is_not_read_by_families(self):
        news = self.publish(
            title="Réunion des enseignants : projet d'école",
            audience=Audience.COMMUNITY,
            addressed_to="teacher",
            target_schools=[SchoolPage.objects.get(slug="jules-ferry")],
        )
        for username in ("ens.garnier", "dir.lefevre"):
            self.assertTrue(self.reads(username, news), username)
        for username in ("famille.leroy", "famille.martin", "ens.blanc"):
            self.assertFalse(self.reads(username, news), username)
        teachers = Membership.objects.filter(
            school__slug="jules-ferry", role="teacher"
        ).values_list("user__username", flat=True)
        self.assertEqual(self.recipients(news), set(teachers))
        self.assertIn("ens.garnier", teachers)

    def test_news_for_directors_is_read_by_directors_only(self):
        news = self.publish(
            title="Conseil des directeurs du jeudi",
            audience=Audience.STAFF,
            addressed_to="director",
        )
        for username in ("dir.lefevre", "dir.chevalier"):
            self.assertTrue(self.reads(username, news), username)
        for username in ("ens.garnier", "ens.blanc", "famille.leroy"):
            self.assertFalse(self.reads(username, news), username)

    def test_a_public_district_news_for_teachers_is_refused(self):
        from wagtail.test.utils.form_data import nested_form_data

        from news.models import NewsIndexPage

        self.client.force_login(user("ien.dubois"))
        response = self.client.post(
            f"/admin/pages/add/news/newspage/{NewsIndexPage.objects.get().pk}/",
            nested_form_data(
                {
                    "title": "Stage de formation",
                    "slug": "stage-formation-public",
                    "audience": Audience.PUBLIC,
                    "date": "2026-12-01",
                    "intro": "Inscriptions ouvertes.",
                    "body": {"count": 0},
                    "tags": "",
                    "addressed_to": "teacher",
                    "comments": {"count": 0},
                }
            ),
        )
        self.assertIn("ne peut pas être publique", str(response.context["form"].errors))
        self.assertFalse(
            NewsPage.objects.filter(slug="stage-formation-public").exists()
        )

    def test_all_directors_of_the_district(self):
        news = self.publish(
            title="Enquête de rentrée à retourner",
            audience=Audience.DIRECTORS,
            acknowledgement_required=True,
        )
        directors = set(
            Membership.objects.filter(role="director").values_list(
                "user__username", flat=True
            )
        )
        self.assertEqual(self.recipients(news), directors)

    def test_only_the_team_addresses_and_only_district_news(self):
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        self.client.force_login(user("dir.lefevre"))
        form = self.client.get(
            f"/admin/pages/add/news/newspage/{classroom.pk}/"
        ).context["form"]
        self.assertNotIn("target_schools", form.fields)
        self.assertNotIn("addressed_to", form.fields)

        from wagtail.test.utils.form_data import nested_form_data

        self.client.force_login(user("ien.dubois"))
        response = self.client.post(
            f"/admin/pages/add/news/newspage/{classroom.pk}/",
            {
                **nested_form_data(
                    {
                        "title": "Piscine",
                        "slug": "piscine-ciblee",
                        "audience": Audience.COMMUNITY,
                        "date": "2026-12-01",
                        "intro": "Les séances reprennent.",
                        "body": {"count": 0},
                        "tags": "",
                        "addressed_to": "",
                        "comments": {"count": 0},
                    }
                ),
                "target_schools": [SchoolPage.objects.get(slug="jules-ferry").pk],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Seules les actualités de la circonscription",
            str(response.context["form"].errors["target_schools"]),
        )
        self.assertFalse(NewsPage.objects.filter(slug="piscine-ciblee").exists())


class ReminderTests(TestCase):
    def test_reminders_respect_choices_and_access(self):
        from inbox.notifications import remind_recipients

        museum = NewsPage.objects.get(title=MUSEUM)
        NotificationChoice.objects.create(
            user=user("famille.martin"), frequency=NotificationChoice.Frequency.NEVER
        )
        Membership.objects.filter(user=user("ens.moreau")).delete()  # left the school
        names = ["famille.leroy", "famille.martin", "ens.moreau", "dir.lefevre"]
        remind_recipients.enqueue(museum.pk, [user(name).pk for name in names])
        # Martin wants no e-mail, Moreau left, and the school's director is
        # not asked to confirm a class news item.
        self.assertEqual(
            [message.to[0] for message in mail.outbox], [user("famille.leroy").email]
        )
        self.assertIn("Rappel", mail.outbox[0].subject)
        reminded = Recipient.objects.filter(page=museum, reminded_at__isnull=False)
        self.assertEqual(
            set(reminded.values_list("user__username", flat=True)), {"famille.leroy"}
        )

    @override_settings(EMAIL_BACKEND="tests.mail_backends.CrashingEmailBackend")
    def test_a_reminder_is_recorded_only_once_it_went(self):
        from inbox.notifications import remind_recipients

        museum = NewsPage.objects.get(title=MUSEUM)
        names = ["famille.leroy", "famille.martin"]
        CrashingEmailBackend.sent, CrashingEmailBackend.allowed = 0, 1
        with self.assertLogs("inbox.notifications", "WARNING") as logs:
            remind_recipients.enqueue(museum.pk, [user(name).pk for name in names])
        self.assertIn("stopped by the mail server", "\n".join(logs.output))
        self.assertEqual(len(mail.outbox), 1)
        reminded = Recipient.objects.filter(page=museum, reminded_at__isnull=False)
        self.assertEqual(
            list(reminded.values_list("user__email", flat=True)), [mail.outbox[0].to[0]]
        )


class ReviewRegressionTests(TestCase):
    """Problems found in review, each with the reproduction that showed it."""

    def test_a_public_news_for_chosen_schools_stays_in_those_schools(self):
        from news.models import NewsIndexPage

        coquelicots = SchoolPage.objects.get(slug="les-coquelicots")
        # Refused in the form...
        self.client.force_login(user("ien.dubois"))
        index = NewsIndexPage.objects.get()
        from wagtail.test.utils.form_data import nested_form_data

        response = self.client.post(
            f"/admin/pages/add/news/newspage/{index.pk}/",
            {
                **nested_form_data(
                    {
                        "title": "Réservée aux Coquelicots",
                        "slug": "reservee-coquelicots",
                        "audience": Audience.PUBLIC,
                        "date": "2026-12-01",
                        "intro": "Pour les familles des Coquelicots.",
                        "body": {"count": 0},
                        "tags": "",
                        "addressed_to": "family",
                        "comments": {"count": 0},
                        "action-publish": "1",
                    }
                ),
                "target_schools": [coquelicots.pk],
            },
        )
        self.assertIn("ne peut pas être publique", str(response.context["form"].errors))
        # ... and invisible outside those schools even if made another way.
        news = NewsPageFactory(parent=index, title="Réservée", audience=Audience.PUBLIC)
        news.target_schools.set([coquelicots])
        news.save_revision().publish()
        self.client.logout()
        self.assertEqual(self.client.get(news.url).status_code, 302)
        for url in ("/actualites/", "/actualites/rss/", "/sitemap.xml", "/"):
            self.assertNotContains(self.client.get(url), news.slug, msg_prefix=url)
        self.client.force_login(user("famille.leroy"))
        self.assertEqual(self.client.get(news.url).status_code, 403)
        self.client.force_login(user("famille.petit"))
        self.assertEqual(self.client.get(news.url).status_code, 200)

    def test_a_translation_is_not_a_second_item_of_the_feed(self):
        from wagtail.models import Locale

        locale = Locale.objects.get_or_create(language_code="en")[0]
        museum = NewsPage.objects.get(title=MUSEUM)
        for ancestor in [*museum.get_ancestors().filter(depth__gt=1), museum]:
            translated = ancestor.specific.copy_for_translation(
                locale, copy_parents=True
            )
        translated.save_revision().publish()
        self.client.force_login(user("famille.leroy"))
        feed = self.client.get("/mon-fil/")
        keys = [news.translation_key for news in feed.context["news_page"]]
        self.assertEqual(keys.count(museum.translation_key), 1)
        home = self.client.get("/")
        self.assertNotContains(home, "/en/")

    def test_the_digest_leaves_out_what_its_reader_may_no_longer_read(self):
        NotificationChoice.objects.create(
            user=user("famille.bernard"), frequency=NotificationChoice.Frequency.DAILY
        )
        classroom = ClassroomPage.objects.get(slug="ce1-garnier")
        news = NewsPageFactory(
            parent=classroom, title="Sortie au jardin", audience=Audience.COMMUNITY
        )
        with self.captureOnCommitCallbacks(execute=True):
            news.save_revision().publish()
        news.audience = Audience.STAFF
        news.save_revision().publish()
        mail.outbox.clear()
        call_command("send_digests", stdout=open("/dev/null", "w"))
        for message in mail.outbox:
            self.assertNotIn("Sortie au jardin", message.body)

    def test_odd_ids_and_tags_are_not_errors(self):
        self.client.force_login(user("ien.dubois"))
        huge = "99999999999999999999"
        self.assertEqual(self.client.post(f"/mon-fil/accuse/{huge}/").status_code, 404)
        for url in (
            f"/admin/accuses-de-lecture/{huge}/",
            f"/admin/accuses-de-lecture/{huge}/export.csv",
        ):
            self.assertEqual(self.client.get(url, follow=True).status_code, 404, url)
        for tag in ("%00", "a%00b", "%3Cscript%3E"):
            self.assertEqual(
                self.client.get(f"/ressources/?etiquette={tag}").status_code, 200
            )
