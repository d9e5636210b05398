"""Members and pupils in the admin (issue 14, item 4): a director finds a
person and adds them to a class in one step, sees each pupil's consents,
lists those with nothing recorded and records a consent from the list.

Privacy choice tested here: by name (or part of an address) a director finds
only the people of the school they direct; any other account only by its
exact e-mail address, and it is never suggested."""

from django.test import TestCase

from accounts.models import Membership
from pupils.models import ImageConsent, Medium, Pupil
from schools.models import ClassroomPage
from tests.conftest import user
from tests.factories import UserFactory

MEMBERS = "/admin/memberships/"
ADD = "/admin/memberships/add-to-class/"
SUGGEST = "/admin/memberships/suggestions/"
PUPILS = "/admin/pupils/"


def consent_url(pupil):
    return f"/admin/pupils/consent/{pupil.pk}/"


class PeopleTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cm2 = ClassroomPage.objects.get(slug="cm2-lefevre")
        cls.other_class = ClassroomPage.objects.get(slug="ps-ms-chevalier")
        cls.leroy = user("famille.leroy")
        # An account the district team created, in no school yet.
        cls.newcomer = UserFactory(
            username="famille.renaud",
            first_name="Agathe",
            last_name="Renaud",
            email="agathe.renaud@exemple.fr",
        )

    def setUp(self):
        self.director = user("dir.lefevre")
        self.client.force_login(self.director)


class FindingPeopleTests(PeopleTestCase):
    def suggested(self, text):
        response = self.client.get(SUGGEST, {"q": text})
        self.assertEqual(response.status_code, 200)
        return [person["email"] for person in response.json()["people"]]

    def test_suggestions_are_the_people_of_their_school_by_name_or_address(self):
        self.assertEqual(self.suggested("Leroy"), ["famille.leroy@ent-demo.fr"])
        self.assertEqual(self.suggested("sandrine ler"), ["famille.leroy@ent-demo.fr"])
        self.assertIn("famille.dupuis@ent-demo.fr", self.suggested("dupuis@"))
        people = self.client.get(SUGGEST, {"q": "Leroy"}).json()["people"]
        # A name and an address: nothing else about the person.
        self.assertEqual(
            people, [{"name": "Sandrine Leroy", "email": "famille.leroy@ent-demo.fr"}]
        )

    def test_a_director_never_finds_people_of_other_schools_by_name(self):
        # Families, teachers and directors of other schools, the district
        # team and accounts in no school are never suggested.
        for text in ("Petit", "Nguyen", "Lopez", "Benoît", "Chevalier", "Dubois"):
            with self.subTest(text=text):
                self.assertEqual(self.suggested(text), [])
        self.assertEqual(self.suggested("Renaud"), [])
        self.assertEqual(self.suggested("agathe.renaud@exemple.fr"), [])
        self.assertEqual(self.suggested("famille.petit@ent-demo.fr"), [])
        # Not on the form's error either.
        response = self.client.post(
            ADD, {"person": "Petit", "classroom": self.cm2.pk, "role": "family"}
        )
        self.assertNotContains(response, "Laura")
        self.assertContains(response, "Personne de votre école ne porte ce nom")

    def test_one_letter_suggests_nothing(self):
        self.assertEqual(self.suggested("L"), [])

    def test_the_district_team_finds_every_account(self):
        self.client.force_login(user("ien.dubois"))
        self.assertEqual(self.suggested("Renaud"), ["agathe.renaud@exemple.fr"])
        self.assertEqual(self.suggested("Petit"), ["famille.petit@ent-demo.fr"])

    def test_teachers_get_no_suggestions(self):
        self.client.force_login(user("ens.moreau"))
        self.assertNotEqual(self.client.get(SUGGEST, {"q": "Leroy"}).status_code, 200)


class AddingToAClassTests(PeopleTestCase):
    def add(self, person, classroom=None, role="family"):
        classroom = self.cm2.pk if classroom is None else classroom
        return self.client.post(
            ADD, {"person": person, "classroom": classroom, "role": role}
        )

    def memberships(self):
        return Membership.objects.count()

    def test_the_listing_offers_the_form_with_their_classes_only(self):
        response = self.client.get(MEMBERS)
        self.assertContains(response, "Ajouter une famille ou un enseignant")
        self.assertContains(response, "CM2 de M. Lefèvre")
        self.assertNotContains(response, "PS-MS de Mme Chevalier")

    def test_a_family_found_by_name_is_added_in_one_step(self):
        response = self.add("Leroy")
        self.assertRedirects(response, MEMBERS, fetch_redirect_response=False)
        membership = Membership.objects.get(user=self.leroy, classroom=self.cm2)
        self.assertEqual(membership.role, "family")
        self.assertEqual(membership.school.slug, "jules-ferry")
        page = self.client.get(MEMBERS)
        self.assertContains(
            page,
            "Sandrine Leroy est maintenant membre de la classe « CM2 de M. Lefèvre »",
        )

    def test_an_account_new_to_the_school_is_added_by_its_exact_address(self):
        self.add("Agathe.Renaud@exemple.fr")
        self.assertTrue(
            Membership.objects.filter(user=self.newcomer, classroom=self.cm2).exists()
        )
        # She is now of the school: suggested by name from then on.
        response = self.client.get(SUGGEST, {"q": "Renaud"})
        self.assertEqual(response.json()["people"][0]["name"], "Agathe Renaud")

    def test_a_teacher_may_be_added_too(self):
        self.add("famille.dupuis@ent-demo.fr", role="teacher")
        membership = Membership.objects.get(
            user__username="famille.dupuis", role="teacher"
        )
        self.assertEqual(membership.classroom, self.cm2)

    def test_bad_input_says_why_in_french_and_changes_nothing(self):
        before = self.memberships()
        cases = [
            (self.add("Personne Inconnue"), "Personne de votre école ne porte ce nom"),
            (self.add("inconnu@exemple.fr"), "Aucun compte n"),
            (self.add(""), "Saisissez un nom ou une adresse e-mail."),
            (self.add("Leroy", classroom=""), "Choisissez la classe."),
            # Marc Caron and Élodie Martin both hold "mar".
            (self.add("mar"), "Plusieurs personnes correspondent à « mar »"),
            (
                self.add("Leroy", classroom=self.other_class.pk),
                "Cette classe appartient à une autre école.",
            ),
            (self.add("Leroy", classroom="9" * 30), "autre école"),
            (self.add("Leroy", role="director"), "choix valide"),
            # Already a family of the CP.
            (
                self.add(
                    "Leroy", classroom=ClassroomPage.objects.get(slug="cp-moreau").pk
                ),
                "Sandrine Leroy est déjà membre de la classe « CP de Mme Moreau »",
            ),
        ]
        for response, message in cases:
            with self.subTest(message=message):
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(self.memberships(), before)

    def test_a_double_submit_adds_once_and_says_so(self):
        self.add("Leroy")
        before = self.memberships()
        response = self.add("Leroy")
        self.assertContains(response, "est déjà membre de la classe")
        self.assertEqual(self.memberships(), before)

    def test_a_get_on_the_form_address_goes_back_to_the_listing(self):
        self.assertRedirects(
            self.client.get(ADD), MEMBERS, fetch_redirect_response=False
        )

    def test_teachers_cannot_add_anyone(self):
        self.client.force_login(user("ens.moreau"))
        before = self.memberships()
        response = self.add(
            "Leroy", classroom=ClassroomPage.objects.get(slug="cp-moreau").pk
        )
        self.assertIn(response.status_code, {302, 403, 404})
        self.assertEqual(self.memberships(), before)


class PupilsListTests(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ines = Pupil.objects.get(first_name="Inès")
        cls.jules = Pupil.objects.get(first_name="Jules")
        cls.foreign = Pupil.objects.get(first_name="Tom")

    def test_the_list_shows_each_consent_for_each_medium(self):
        response = self.client.get(PUPILS)
        self.assertContains(response, "Photos sur l’ENT")
        self.assertContains(response, "Photos sur le web public")
        rows = {
            pupil.pk: (pupil.decision_ent, pupil.decision_web)
            for pupil in response.context["object_list"]
        }
        self.assertEqual(rows[self.jules.pk], (True, False))
        self.assertEqual(rows[self.ines.pk], (None, None))
        self.assertContains(response, 'aria-label="Oui, ENT, Inès B."')
        self.assertNotContains(response, "Tom M.")

    def test_the_filter_lists_the_pupils_with_nothing_recorded(self):
        listed = [
            str(pupil)
            for pupil in self.client.get(PUPILS, {"accord": "aucun"}).context[
                "object_list"
            ]
        ]
        self.assertEqual(listed, ["Inès B."])
        # Half recorded still needs the director: listed too.
        ImageConsent.objects.filter(pupil=self.jules, medium=Medium.WEB).delete()
        listed = [
            str(pupil)
            for pupil in self.client.get(PUPILS, {"accord": "aucun"}).context[
                "object_list"
            ]
        ]
        self.assertEqual(listed, ["Inès B.", "Jules L."])
        # Last year's decisions do not count.
        ImageConsent.objects.filter(pupil=self.jules).update(school_year="2001-2002")
        self.assertIn(
            self.jules,
            self.client.get(PUPILS, {"accord": "aucun"}).context["object_list"],
        )

    def test_the_whole_list_without_the_filter(self):
        listed = list(self.client.get(PUPILS).context["object_list"])
        self.assertIn(self.jules, listed)
        self.assertIn(self.ines, listed)

    def record(self, pupil, medium="ent", given="yes", **extra):
        return self.client.post(
            consent_url(pupil), {"medium": medium, "given": given, **extra}
        )

    def test_a_consent_is_recorded_from_the_list_with_who_and_when(self):
        response = self.record(self.ines, next=f"{PUPILS}?accord=aucun")
        self.assertRedirects(
            response, f"{PUPILS}?accord=aucun", fetch_redirect_response=False
        )
        consent = self.ines.image_consents.get()
        self.assertEqual(
            (consent.medium, consent.given, consent.recorded_by),
            ("ent", True, self.director),
        )
        self.assertIsNotNone(consent.recorded_at)
        self.assertTrue(self.ines.consents(Medium.ENT))
        page = self.client.get(PUPILS)
        self.assertContains(page, "Accord enregistré pour Inès B.")

    def test_a_refusal_of_the_ent_refuses_the_web_too(self):
        self.record(self.jules, medium="web", given="yes")
        self.record(self.jules, medium="ent", given="no")
        self.assertIs(self.jules.decision(Medium.ENT), False)
        self.assertIs(self.jules.decision(Medium.WEB), False)

    def test_the_same_decision_twice_is_recorded_once(self):
        self.record(self.ines)
        before = ImageConsent.objects.count()
        self.record(self.ines)
        self.assertEqual(ImageConsent.objects.count(), before)
        self.assertContains(self.client.get(PUPILS), "Déjà enregistré pour Inès B.")

    def test_another_schools_pupil_is_a_404_and_keeps_its_consents(self):
        before = ImageConsent.objects.count()
        for pk in (self.foreign.pk, 9_999_999, 2**70):
            with self.subTest(pk=pk):
                response = self.client.post(
                    f"/admin/pupils/consent/{pk}/", {"medium": "ent", "given": "no"}
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(ImageConsent.objects.count(), before)
        self.assertTrue(self.foreign.consents(Medium.ENT))

    def test_bad_input_says_so_and_changes_nothing(self):
        before = ImageConsent.objects.count()
        for data in (
            {"medium": "tv", "given": "yes"},
            {"medium": "ent", "given": "peut-être"},
            {"medium": "ent"},
            {},
        ):
            with self.subTest(data=data):
                response = self.client.post(consent_url(self.ines), data)
                self.assertRedirects(response, PUPILS, fetch_redirect_response=False)
        self.assertEqual(ImageConsent.objects.count(), before)
        self.assertContains(
            self.client.get(PUPILS), "Ce changement n&#x27;a pas pu être enregistré."
        )

    def test_the_way_back_stays_on_the_pupils_list(self):
        for back in ("https://exemple.fr/admin/pupils/", "/admin/users/", "//evil"):
            with self.subTest(back=back):
                response = self.record(self.ines, given="no", next=back)
                self.assertEqual(response["Location"], PUPILS)

    def test_a_get_records_nothing(self):
        self.assertEqual(self.client.get(consent_url(self.ines)).status_code, 405)
        self.assertFalse(self.ines.image_consents.exists())

    def test_teachers_record_nothing(self):
        self.client.force_login(user("ens.moreau"))
        response = self.record(self.ines)
        self.assertIn(response.status_code, {302, 403, 404})
        self.assertFalse(self.ines.image_consents.exists())
