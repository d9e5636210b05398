"""Each family's rights (issue 16 §3): downloading everything the ENT holds
about them, and erasure, asked from « Mon compte » and decided by the team."""

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from accounts.models import ExternalIdentity
from agenda.models import CalendarFeed
from inbox.models import NotificationChoice, ReadMark, Recipient
from news.models import NewsPage
from pupils.models import ImageConsent, Medium, Pupil
from rights.models import ErasureRequest
from tests.conftest import user
from training.models import FeedbackAnswer, FeedbackGiven, TrainingSessionPage
from visibility.audience import DISTRICT_TEAM_GROUP

Image = get_image_model()
MUSEUM_PHOTO = "Photo de groupe au musée"  # Jules (Leroy) and Léa (Martin)
MUSEUM_NEWS = "sortie-au-musee-des-beaux-arts"


def unzip(response):
    """The archive's files: JSON parsed, text decoded, photos as bytes."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    files = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".json"):
            files[name] = json.loads(data)
        elif name.endswith(".txt"):
            files[name] = data.decode()
        else:
            files[name] = data
    return files


def image_on_live_page(page, image):
    """Whether the live page and its live revision show ``image``."""
    page = Page.objects.get(pk=page.pk).specific
    shown = [
        any(
            block.block_type == "image" and block.value["image"] == image
            for block in version.body
        )
        for version in (page, page.live_revision.as_object())
    ]
    assert shown[0] == shown[1]
    return shown[0]


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.martin = user("famille.martin")
        cls.leroy = user("famille.leroy")
        cls.lea = Pupil.objects.get(first_name="Léa", families=cls.martin)
        cls.tom = Pupil.objects.get(first_name="Tom", families=cls.martin)
        cls.jules = Pupil.objects.get(first_name="Jules", families=cls.leroy)
        # Léa's other parent, with an account of his own.
        cls.father = get_user_model().objects.create_user(
            "famille.martin2",
            email="paul.martin@exemple.fr",
            first_name="Paul",
            last_name="Martin",
        )
        cls.lea.families.add(cls.father)
        ImageConsent.objects.create(
            pupil=cls.lea, medium=Medium.WEB, given=True, recorded_by=cls.father
        )
        ImageConsent.objects.create(
            pupil=cls.tom, medium=Medium.WEB, given=True, recorded_by=cls.martin
        )
        ImageConsent.objects.create(
            pupil=cls.tom,
            medium=Medium.ENT,
            given=True,
            recorded_by=user("dir.chevalier"),
            school_year="2025-2026",
        )
        # Recorded by an account no longer linked to Tom (here: another
        # family's): told as such, never by name.
        ImageConsent.objects.create(
            pupil=cls.tom,
            medium=Medium.WEB,
            given=False,
            recorded_by=cls.leroy,
            school_year="2025-2026",
        )
        # Leroy's own consent, history and acknowledgement: never in Martin's.
        ImageConsent.objects.create(
            pupil=cls.jules, medium=Medium.WEB, given=True, recorded_by=cls.leroy
        )
        ExternalIdentity.objects.create(
            user=cls.martin, provider="educonnect", subject="EC-MARTIN-0042"
        )
        NotificationChoice.objects.create(
            user=cls.martin, frequency=NotificationChoice.Frequency.DAILY
        )
        cls.news = NewsPage.objects.get(slug=MUSEUM_NEWS)
        for family in (cls.martin, cls.leroy):
            Recipient.objects.update_or_create(
                page=cls.news,
                user=family,
                defaults={"role": "family", "asked_to_acknowledge": True},
            )
        ReadMark.objects.get_or_create(user=cls.martin, page=cls.news)

    def export(self, username="famille.martin"):
        self.client.force_login(user(username))
        return unzip(self.client.get("/mon-compte/mes-donnees/"))

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get("/mon-compte/mes-donnees/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/connexion/", response["Location"])

    def test_my_account_offers_the_download_and_erasure(self):
        self.client.force_login(self.martin)
        response = self.client.get("/mon-compte/")
        self.assertContains(response, 'href="/mon-compte/mes-donnees/"')
        self.assertContains(response, "Télécharger mes données")
        self.assertContains(response, 'href="/mon-compte/effacement/"')

    def test_the_account(self):
        account = self.export()["account.json"]
        self.assertEqual(account["identifiant"], "famille.martin")
        self.assertEqual(account["prenom"], "Élodie")
        self.assertEqual(account["nom"], "Martin")
        self.assertEqual(account["courriel"], "famille.martin@ent-demo.fr")
        self.assertTrue(account["inscrit_le"])
        self.assertIn("derniere_connexion", account)
        self.assertFalse(account["equipe_de_circonscription"])
        places = {
            (place["role"], place["ecole"], place["classe"])
            for place in account["rattachements"]
        }
        self.assertEqual(
            places,
            {
                ("Famille", "École élémentaire Jules-Ferry", self.lea.classroom.title),
                (
                    "Famille",
                    self.tom.classroom.get_parent().title,
                    self.tom.classroom.title,
                ),
            },
        )
        self.assertTrue(
            all(place["annee_scolaire"] for place in account["rattachements"])
        )
        self.assertEqual(
            account["identites_externes"][0]["identifiant"], "EC-MARTIN-0042"
        )
        self.assertEqual(account["identites_externes"][0]["fournisseur"], "ÉduConnect")
        self.assertEqual(
            account["courriels_de_notification"], "Une fois par jour, un récapitulatif"
        )

    def test_the_children_their_consents_and_who_recorded_them(self):
        children = {child["prenom"]: child for child in self.export()["children.json"]}
        self.assertEqual(set(children), {"Léa", "Tom"})
        lea, tom = children["Léa"], children["Tom"]
        self.assertEqual(lea["initiale_du_nom"], "M")
        self.assertEqual(lea["classe"], self.lea.classroom.title)
        self.assertEqual(lea["ecole"], "École élémentaire Jules-Ferry")
        self.assertNotEqual(tom["ecole"], lea["ecole"])
        self.assertIsNone(lea["parti_le"])
        self.assertEqual(
            len(lea["historique_des_accords"]), self.lea.image_consents.count()
        )
        recorders = {entry["enregistre_par"] for entry in lea["historique_des_accords"]}
        # The seed's consents were recorded by the team; the father's by him.
        self.assertEqual(recorders, {"l'équipe de circonscription", "Paul Martin"})
        tom_history = {
            (entry["annee_scolaire"], entry["support"], entry["enregistre_par"])
            for entry in tom["historique_des_accords"]
        }
        self.assertIn(
            ("2025-2026", "l'ENT (membres seulement)", "la direction de l'école"),
            tom_history,
        )
        self.assertIn(
            (self.lea.classroom.school_year, "le web public", "vous"), tom_history
        )
        self.assertIn(
            (
                "2025-2026",
                "le web public",
                "un compte famille qui n'est plus lié à cet enfant",
            ),
            tom_history,
        )
        years = {year["annee_scolaire"] for year in tom["accords_par_annee"]}
        self.assertEqual(years, {"2025-2026", self.tom.classroom.school_year})

    def test_acknowledgements_and_read_marks(self):
        Recipient.objects.filter(page=self.news, user=self.martin).update(
            acknowledged_at=timezone.now()
        )
        data = self.export()["acknowledgements.json"]
        asked = {item["titre"]: item for item in data["accuses_de_lecture_demandes"]}
        expected = Recipient.objects.filter(
            user=self.martin, asked_to_acknowledge=True
        ).values_list("page__title", flat=True)
        self.assertEqual(set(asked), set(expected))
        museum = asked[self.news.title]
        self.assertTrue(museum["adresse"].endswith(self.news.url))
        self.assertTrue(museum["demande_le"])
        self.assertTrue(museum["accuse_le"])
        read = [item["titre"] for item in data["pages_lues"]]
        self.assertIn(self.news.title, read)
        self.assertEqual(len(read), ReadMark.objects.filter(user=self.martin).count())

    def test_the_photos_name_only_their_children_and_are_the_real_files(self):
        files = self.export()
        entries = {entry["titre"]: entry for entry in files["photos.json"]}
        self.assertEqual(
            set(entries),
            {MUSEUM_PHOTO, "Photo de la classe de CP", "Les peintures des petits"},
        )
        museum = entries[MUSEUM_PHOTO]
        self.assertEqual(museum["vos_enfants"], ["Léa M."])
        self.assertEqual(museum["autres_eleves"], 1)  # Jules, counted
        self.assertEqual(entries["Photo de la classe de CP"]["autres_eleves"], 2)
        self.assertEqual([page["titre"] for page in museum["pages"]], [self.news.title])
        image = Image.objects.get(title=MUSEUM_PHOTO)
        with image.file.open("rb") as original:
            self.assertEqual(files[museum["fichier"]], original.read())
        # The class photo also shows two other pupils, and no page the
        # family may open shows it: described, without its file.
        class_photo = entries["Photo de la classe de CP"]
        self.assertEqual(class_photo["pages"], [])
        self.assertIsNone(class_photo["fichier"])
        photo_files = [name for name in files if name.startswith("photos/")]
        self.assertEqual(len(photo_files), 2)
        self.assertIn("photos", files["README.txt"])
        self.assertIn("Vos données", files["README.txt"])

    def test_nothing_about_another_family(self):
        files = self.export()
        text = "\n".join(
            json.dumps(data, ensure_ascii=False) if name.endswith(".json") else data
            for name, data in files.items()
            if not name.startswith("photos/")
        )
        for foreign in (
            "Leroy",
            "Sandrine",
            "famille.leroy",
            "Jules L",
            "Inès",
            "paul.martin@exemple.fr",  # the father's e-mail, never shown
            "famille.martin2",
        ):
            self.assertNotIn(foreign, text)
        children = files["children.json"]
        consents = sum(len(child["historique_des_accords"]) for child in children)
        self.assertEqual(
            consents,
            ImageConsent.objects.filter(pupil__in=[self.lea, self.tom]).count(),
        )

    def test_the_download_is_logged(self):
        self.export()
        entry = ModelLogEntry.objects.get(action="ent.rights.export")
        self.assertEqual(entry.user, self.martin)
        self.assertEqual(entry.object_id, str(self.martin.pk))

    def test_staff_download_their_account_and_places(self):
        files = self.export("ens.moreau")
        account = files["account.json"]
        self.assertEqual(account["identifiant"], "ens.moreau")
        self.assertEqual(
            [place["role"] for place in account["rattachements"]],
            ["Enseignant ou enseignante"],
        )
        self.assertEqual(files["children.json"], [])
        self.assertEqual(files["photos.json"], [])

    def test_staff_download_their_training(self):
        """The demo's ens.moreau: registered to a session to come and to a
        past one she attended twice, with outside hours waiting."""
        moreau = user("ens.moreau")
        feed = CalendarFeed.of(moreau)
        past = TrainingSessionPage.objects.get(slug="comprendre-les-textes-lus")
        FeedbackGiven.objects.create(session=past, user=moreau)
        FeedbackAnswer.objects.create(session=past, rating=4, liked="Mon secret")

        files = self.export("ens.moreau")
        self.assertTrue(files["account.json"]["adresse_agenda_personnel"])
        training = files["training.json"]
        sessions = {entry["titre"]: entry for entry in training["animations"]}
        attended = sessions[past.title]
        self.assertEqual(attended["statut"], "Inscrit")
        self.assertEqual(
            [(p["heures"], p["present"]) for p in attended["presences"]],
            [("3.0", True), ("3.0", True)],
        )
        self.assertEqual(attended["heures_comptees"], "6.0")
        self.assertIn("Jeux mathématiques au cycle 2", sessions)
        outside = training["formations_exterieures"][0]
        self.assertEqual(outside["statut"], "En attente de validation")
        self.assertEqual(outside["heures"], "3.0")
        self.assertIn("training.json", files["README.txt"])

        everything = json.dumps(files, ensure_ascii=False, default=str)
        self.assertNotIn(feed.token, everything)
        self.assertNotIn("Mon secret", everything)

    def test_a_family_has_no_training(self):
        files = self.export()
        self.assertEqual(
            files["training.json"],
            {"animations": [], "formations_exterieures": []},
        )
        self.assertFalse(files["account.json"]["adresse_agenda_personnel"])


class ErasureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.martin = user("famille.martin")
        cls.team = user("ien.dubois")
        cls.lea = Pupil.objects.get(first_name="Léa", families=cls.martin)
        cls.tom = Pupil.objects.get(first_name="Tom", families=cls.martin)
        cls.photo = Image.objects.get(title=MUSEUM_PHOTO)
        cls.news = NewsPage.objects.get(slug=MUSEUM_NEWS)

    def ask(self, username="famille.martin"):
        self.client.force_login(user(username))
        return self.client.post("/mon-compte/effacement/", follow=True)

    def decide(self, action, erasure, data=None, username="ien.dubois"):
        team = self.client_class()
        team.force_login(user(username))
        return team.post(
            f"/admin/effacements/{erasure.pk}/{action}/", data or {}, follow=True
        )

    def test_the_confirmation_page_explains_what_happens(self):
        self.client.force_login(self.martin)
        response = self.client.get("/mon-compte/effacement/")
        self.assertContains(response, "Demander l'effacement de mon compte")
        self.assertContains(response, "ONDE")
        self.assertFalse(ErasureRequest.objects.exists())

    def test_a_family_asks_and_the_team_is_told(self):
        response = self.ask()
        self.assertContains(response, "Votre demande a été transmise")
        erasure = ErasureRequest.objects.get()
        self.assertEqual(erasure.user, self.martin)
        self.assertEqual(erasure.status, ErasureRequest.Status.REQUESTED)
        team = set(
            Group.objects.get(name=DISTRICT_TEAM_GROUP)
            .user_set.exclude(email="")
            .values_list("email", flat=True)
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(set(mail.outbox[0].to), team)
        self.assertIn("/admin/effacements/", mail.outbox[0].body)
        self.assertNotIn("Martin", mail.outbox[0].body)
        entry = ModelLogEntry.objects.get(action="ent.rights.erasure_requested")
        self.assertEqual(entry.user, self.martin)
        # « Mon compte » says it is pending.
        self.assertContains(
            self.client.get("/mon-compte/"), "en attente de la décision"
        )

    def test_asking_twice_changes_nothing(self):
        self.ask()
        response = self.ask()
        self.assertContains(response, "Vous avez déjà demandé")
        self.assertEqual(ErasureRequest.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(
            ModelLogEntry.objects.filter(action="ent.rights.erasure_requested").count(),
            1,
        )

    def test_the_team_lists_requests_and_staff_get_a_404(self):
        self.ask()
        team = self.client_class()
        team.force_login(self.team)
        response = team.get("/admin/effacements/")
        self.assertContains(response, "Élodie Martin")
        self.assertContains(response, "Effacer le compte")
        director = self.client_class()
        director.force_login(user("dir.lefevre"))
        self.assertEqual(director.get("/admin/effacements/").status_code, 404)
        erasure = ErasureRequest.objects.get()
        for action in ("effacer", "refuser"):
            response = self.decide(
                action, erasure, {"reason": "Non"}, username="dir.lefevre"
            )
            self.assertEqual(response.status_code, 404)
        # The menu item is the team's only.
        self.assertContains(team.get("/admin/"), "/admin/effacements/")
        self.assertNotContains(director.get("/admin/"), "/admin/effacements/")
        family = self.client_class()
        family.force_login(self.martin)
        self.assertNotEqual(family.get("/admin/effacements/").status_code, 200)
        self.assertTrue(get_user_model().objects.filter(pk=self.martin.pk).exists())

    def test_confirming_erases_the_account_and_takes_the_photos_off(self):
        self.assertTrue(image_on_live_page(self.news, self.photo))
        self.ask()
        erasure = ErasureRequest.objects.get()
        mail.outbox.clear()
        response = self.decide("effacer", erasure)
        self.assertContains(response, "Compte supprimé n°")

        self.assertFalse(get_user_model().objects.filter(pk=self.martin.pk).exists())
        # The pupils stay enrolled, without their names on the images…
        self.assertTrue(Pupil.objects.filter(pk=self.lea.pk).exists())
        self.assertFalse(self.photo.pupils.filter(pk=self.lea.pk).exists())
        self.assertFalse(Image.objects.filter(pupils__in=[self.lea, self.tom]).exists())
        self.assertTrue(self.photo.pupils.filter(first_name="Jules").exists())
        # …their consents withdrawn, in the team's name…
        self.assertIs(self.lea.decision(Medium.ENT), False)
        self.assertIs(self.lea.decision(Medium.WEB), False)
        self.assertEqual(self.lea.image_consents.first().recorded_by, self.team)
        # …and the photo off the live page, in the team's name.
        self.assertFalse(image_on_live_page(self.news, self.photo))
        removal = PageLogEntry.objects.filter(
            page=self.news, action__in=["wagtail.publish", "ent.photo.removed"]
        ).latest("timestamp")
        self.assertEqual(removal.user, self.team)
        self.assertNotIn("Martin", removal.label)

        erasure.refresh_from_db()
        self.assertEqual(erasure.status, ErasureRequest.Status.CONFIRMED)
        self.assertIsNone(erasure.user)
        self.assertEqual(erasure.decided_by, self.team)
        self.assertEqual(
            erasure.account_label(), f"Compte supprimé n° {self.martin.pk}"
        )
        actions = set(
            ModelLogEntry.objects.filter(action__startswith="ent.").values_list(
                "action", flat=True
            )
        )
        self.assertTrue(
            {
                "ent.rights.erasure_requested",
                "ent.rights.erasure_confirmed",
                "ent.account.deleted",
            }
            <= actions
        )
        for entry in ModelLogEntry.objects.filter(action__startswith="ent.rights."):
            self.assertNotIn("Martin", entry.label)
            self.assertNotIn("famille.martin", entry.label)
        confirmed = ModelLogEntry.objects.get(action="ent.rights.erasure_confirmed")
        self.assertEqual(confirmed.user, self.team)
        self.assertEqual(confirmed.data["reason"], "Effacement demandé par la famille")
        # The family is told; the page's editors too (by pupils.rights).
        to = [message.to for message in mail.outbox]
        self.assertIn(["famille.martin@ent-demo.fr"], to)

        # A second click changes nothing.
        response = self.decide("effacer", erasure)
        self.assertContains(response, "déjà été traitée")

    def test_a_child_with_another_family_account_keeps_names_and_consents(self):
        father = get_user_model().objects.create_user(
            "famille.martin2", email="paul.martin@exemple.fr"
        )
        self.lea.families.add(father)
        before = self.lea.image_consents.count()
        self.ask()
        self.decide("effacer", ErasureRequest.objects.get())
        self.assertTrue(self.photo.pupils.filter(pk=self.lea.pk).exists())
        self.assertEqual(self.lea.image_consents.count(), before)
        self.assertTrue(image_on_live_page(self.news, self.photo))
        # Tom had no one else: his name is off his photo.
        self.assertFalse(Image.objects.filter(pupils=self.tom).exists())

    def test_refusing_keeps_the_account_and_tells_the_family_why(self):
        self.ask()
        erasure = ErasureRequest.objects.get()
        mail.outbox.clear()
        response = self.decide("refuser", erasure, {"reason": "  "})
        self.assertContains(response, "Indiquez pourquoi")
        erasure.refresh_from_db()
        self.assertTrue(erasure.pending)

        reason = "Une procédure judiciaire impose de conserver ce compte."
        response = self.decide("refuser", erasure, {"reason": reason})
        self.assertContains(response, "La demande a été refusée")
        erasure.refresh_from_db()
        self.assertEqual(erasure.status, ErasureRequest.Status.REFUSED)
        self.assertEqual(erasure.reason, reason)
        self.assertTrue(get_user_model().objects.filter(pk=self.martin.pk).exists())
        self.assertTrue(self.photo.pupils.filter(pk=self.lea.pk).exists())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["famille.martin@ent-demo.fr"])
        self.assertIn(reason, mail.outbox[0].body)
        entry = ModelLogEntry.objects.get(action="ent.rights.erasure_refused")
        self.assertEqual(entry.data["reason"], reason)
        self.assertEqual(entry.user, self.team)
        # Asking again is possible once refused.
        self.ask()
        self.assertEqual(ErasureRequest.objects.filter(status="requested").count(), 1)

    def test_a_teacher_asks_and_the_team_decides_once_pages_are_handed_over(self):
        from wagtail.models import Page

        from departures.staff import hand_over

        moreau = get_user_model().objects.get(username="ens.moreau")
        Page.objects.filter(slug="sortie-au-musee-des-beaux-arts").update(owner=moreau)
        self.ask("ens.moreau")
        erasure = ErasureRequest.objects.get()
        # She still owns a page: the team is sent to « Départs » first.
        response = self.decide("effacer", erasure)
        self.assertContains(response, "Départs")
        erasure.refresh_from_db()
        self.assertTrue(erasure.pending)
        hand_over(moreau, get_user_model().objects.get(username="dir.lefevre"))
        self.decide("effacer", erasure)
        self.assertFalse(
            get_user_model().objects.filter(username="ens.moreau").exists()
        )
        erasure.refresh_from_db()
        self.assertEqual(erasure.status, ErasureRequest.Status.CONFIRMED)

    def test_a_team_member_cannot_decide_on_their_own_request(self):
        self.ask("cpc.marchand")
        erasure = ErasureRequest.objects.get()
        response = self.decide("effacer", erasure, username="cpc.marchand")
        self.assertContains(response, "Un autre membre de l")
        self.assertTrue(
            get_user_model().objects.filter(username="cpc.marchand").exists()
        )
        erasure.refresh_from_db()
        self.assertTrue(erasure.pending)

    def test_the_screens_are_in_french(self):
        from tests.english import ScreenText, english_on

        self.ask("famille.leroy")
        self.decide("refuser", ErasureRequest.objects.get(), {"reason": "Doublon"})
        self.ask()
        team = self.client_class()
        team.force_login(self.team)
        screens = {
            "Mon compte": self.client.get("/mon-compte/"),
            "effacement": self.client.get("/mon-compte/effacement/"),
            "team view": team.get("/admin/effacements/"),
        }
        for name, response in screens.items():
            self.assertEqual(response.status_code, 200)
            found = english_on(ScreenText(response.content.decode()).texts)
            self.assertEqual(found, {}, name)
