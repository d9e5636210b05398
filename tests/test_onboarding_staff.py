"""Staff from the académie's directory (issue 15, item 2), from the command
line: preview, checks, apply, and a second run that changes nothing."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase

from accounts.models import Membership
from onboarding.models import OndeImport
from onboarding.onde import OndeFileError
from onboarding.staff import StaffPlan
from tests.conftest import user
from tests.test_onboarding_onde import sample_path, snapshot

HEADER = "Nom;Prénom;Courriel;UAI;Rôle;Classes"
GOOD = "\r\n".join(
    [
        HEADER,
        "BERTIN;Agnès;agnes.bertin@ac-demo.fr;0451001J;Enseignante;CP de Mme Moreau",
        "CARON;Hugo;hugo.caron@ac-demo.fr;0451002K;Directeur;GS de M. Perrin",
        "CARON;Hugo;hugo.caron@ac-demo.fr;0451003L;enseignant;"
        "CP-CE1 de Mme Faure|CE2-CM2 de M. Blanc",
        # Already there: the demo's teacher of the CE1.
        "GARNIER;Thomas;{garnier};0451001J;Enseignant;ce1 de m. garnier",
    ]
)


class StaffImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        garnier = get_user_model().objects.get(username="ens.garnier")
        cls.data = GOOD.format(garnier=garnier.email.upper()).encode("iso-8859-15")

    def test_preview_apply_and_again_changes_nothing(self):
        before = snapshot()
        plan = StaffPlan(self.data)
        self.assertEqual(plan.problems, [])
        self.assertEqual(
            plan.counts(), {"create": 2, "update": 0, "unchanged": 1, "problems": 0}
        )
        self.assertEqual(snapshot(), before)
        plan.apply()
        caron = get_user_model().objects.get(email="hugo.caron@ac-demo.fr")
        self.assertFalse(caron.has_usable_password())
        self.assertTrue(caron.is_active)
        self.assertEqual(
            set(
                Membership.objects.filter(user=caron).values_list(
                    "role", "school__uai", "classroom__title"
                )
            ),
            {
                ("director", "0451002K", None),
                ("teacher", "0451002K", "GS de M. Perrin"),
                ("teacher", "0451003L", "CP-CE1 de Mme Faure"),
                ("teacher", "0451003L", "CE2-CM2 de M. Blanc"),
            },
        )
        # The provisioned groups follow the memberships.
        self.assertTrue(caron.groups.exists())
        after = snapshot()
        again = StaffPlan(self.data)
        self.assertEqual(
            again.counts(), {"create": 0, "update": 0, "unchanged": 3, "problems": 0}
        )
        again.apply()
        self.assertEqual(snapshot(), after)

    def test_bad_lines_are_named_and_change_nothing(self):
        data = "\r\n".join(
            [
                HEADER,
                "BERTIN;Agnès;agnes.bertin@ac-demo.fr;0451999Z;Enseignante;CP",
                "BERTIN;Agnès;agnes.bertin@ac-demo.fr;0451001J;Cuisinière;",
                "BERTIN;Agnès;agnes.bertin@ac-demo.fr;0451001J;Enseignante;CM1 B",
                "BERTIN;Agnès;agnes.bertin@ac-demo.fr;0451001J;Enseignante;",
                "BERTIN;Agnès;=cmd|' /C calc'!A0;0451001J;Enseignante;CP",
                "BERTIN;Agnès;;0451001J;Enseignante;CP de Mme Moreau",
            ]
        ).encode("utf-8")
        plan = StaffPlan(data)
        messages = dict(plan.problems)
        self.assertEqual(sorted(messages), [2, 3, 4, 5, 6, 7])
        self.assertIn("0451999Z", messages[2])
        self.assertIn("Cuisinière", messages[3])
        self.assertIn("CM1 B", messages[4])
        self.assertIn("au moins une classe", messages[5])
        self.assertIn("formule", messages[6])
        self.assertIn("Courriel", messages[7])
        with self.assertRaises(ValueError):
            plan.apply()
        with self.assertRaises(OndeFileError) as refusal:
            StaffPlan(b"Nom;Prenom\r\nX;Y\r\n")
        self.assertIn("« UAI »", str(refusal.exception))

    def test_command_previews_applies_and_refuses_bad_files(self):
        path = sample_path(self, self.data, "annuaire.csv")
        out = io.StringIO()
        call_command("import_staff", str(path), "--dry-run", stdout=out)
        self.assertIn("2 à créer", out.getvalue())
        self.assertFalse(
            get_user_model().objects.filter(email="agnes.bertin@ac-demo.fr").exists()
        )
        call_command("import_staff", str(path), stdout=io.StringIO())
        self.assertTrue(
            get_user_model().objects.filter(email="agnes.bertin@ac-demo.fr").exists()
        )
        bad = sample_path(
            self, self.data + b"\r\nX;Y;z@ac-demo.fr;0451001J;Enseignant;Z", "b.csv"
        )
        before = snapshot()
        with self.assertRaises(CommandError):
            call_command(
                "import_staff", str(bad), stdout=io.StringIO(), stderr=io.StringIO()
            )
        self.assertEqual(snapshot(), before)


class StaffAdminTests(TestCase):
    """The admin screen: upload, preview, apply at once; team only."""

    @classmethod
    def setUpTestData(cls):
        StaffImportTests.setUpTestData.__func__(cls)

    def setUp(self):
        self.client.force_login(user("ien.dubois"))

    def upload(self, data, name="annuaire.csv"):
        return self.client.post(
            "/admin/onde/personnels/",
            {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        )

    def preview(self, data):
        response = self.upload(data)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        staff_import = OndeImport.objects.latest("pk")
        self.assertEqual(staff_import.kind, OndeImport.Kind.STAFF)
        self.assertIsNone(staff_import.school)
        self.assertEqual(
            response["Location"], f"/admin/onde/personnels/{staff_import.pk}/"
        )
        return staff_import

    def apply(self, staff_import):
        response = self.client.post(
            f"/admin/onde/personnels/{staff_import.pk}/appliquer/"
        )
        self.assertRedirects(
            response, f"/admin/onde/personnels/{staff_import.pk}/", 302
        )
        staff_import.refresh_from_db()
        return staff_import

    def test_preview_apply_and_again_changes_nothing(self):
        index = self.client.get("/admin/onde/")
        self.assertContains(index, 'href="/admin/onde/personnels/"')
        self.assertContains(self.client.get("/admin/onde/personnels/"), "Courriel")
        before = snapshot()
        staff_import = self.preview(self.data)
        self.assertEqual(snapshot(), before)
        self.assertEqual(
            staff_import.summary["counts"],
            {"create": 2, "update": 0, "unchanged": 1, "problems": 0},
        )
        page = self.client.get(f"/admin/onde/personnels/{staff_import.pk}/")
        self.assertContains(page, "hugo.caron@ac-demo.fr")
        self.assertContains(page, "Directeur ou directrice de")
        self.assertContains(page, "à créer")
        self.assertContains(page, "Appliquer l")
        staff_import = self.apply(staff_import)
        self.assertEqual(staff_import.status, OndeImport.Status.DONE)
        self.assertEqual(bytes(staff_import.content), b"")
        caron = get_user_model().objects.get(email="hugo.caron@ac-demo.fr")
        self.assertEqual(Membership.objects.filter(user=caron).count(), 4)
        # Applying twice does nothing more.
        after = snapshot()
        self.apply(staff_import)
        self.assertEqual(snapshot(), after)
        # The same file again: all unchanged, and applying it changes nothing.
        again = self.preview(self.data)
        self.assertEqual(
            again.summary["counts"],
            {"create": 0, "update": 0, "unchanged": 3, "problems": 0},
        )
        self.assertEqual(self.apply(again).status, OndeImport.Status.DONE)
        self.assertEqual(snapshot(), after)
        listing = self.client.get("/admin/onde/personnels/")
        self.assertContains(listing, f"/admin/onde/personnels/{again.pk}/")

    def test_bad_input_changes_nothing_and_names_the_line(self):
        lines = GOOD.format(garnier="thomas.garnier@example.org").split("\r\n")
        bad = "\r\n".join(
            [
                *lines,
                "X;Y;y@ac-demo.fr;0451999Z;Enseignant;CP",  # 6
                "X;Y;y@ac-demo.fr;0451001J;Cuisinier;CP de Mme Moreau",  # 7
                "X;Y;y@ac-demo.fr;0451001J;Enseignant;CM1 B",  # 8
                'X;Y;=HYPERLINK("http://x");0451001J;Enseignant;CP',  # 9
                lines[1],  # 10: line 2 again
            ]
        ).encode("iso-8859-15")
        before = snapshot()
        staff_import = self.preview(bad)
        problems = {
            problem["line"]: problem["message"]
            for problem in staff_import.summary["problems"]
        }
        self.assertEqual(sorted(problems), [6, 7, 8, 9, 10])
        self.assertIn("0451999Z", problems[6])
        self.assertIn("Cuisinier", problems[7])
        self.assertIn("CM1 B", problems[8])
        self.assertIn("formule", problems[9])
        self.assertIn("ligne 2", problems[10])
        page = self.client.get(f"/admin/onde/personnels/{staff_import.pk}/")
        self.assertContains(page, "5 lignes à corriger")
        self.assertNotContains(page, "Appliquer l")
        response = self.client.post(
            f"/admin/onde/personnels/{staff_import.pk}/appliquer/", follow=True
        )
        self.assertContains(response, "Corrigez les lignes")
        self.assertEqual(snapshot(), before)
        # A file that cannot be read at all: refused on the upload form.
        for data in (
            self.data.decode("iso-8859-15").encode("utf-16"),
            self.data.decode("iso-8859-15")
            .encode("utf-8")
            .decode("latin-1")
            .encode("utf-8"),
            b"Nom;Prenom\r\nX;Y\r\n",
        ):
            with self.subTest(data=data[:20]):
                count = OndeImport.objects.count()
                response = self.upload(data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "error-message")
                self.assertEqual(OndeImport.objects.count(), count)
        self.assertEqual(snapshot(), before)

    def test_school_staff_get_a_404(self):
        staff_import = self.preview(self.data)
        for username in ("dir.lefevre", "ens.moreau"):
            self.client.force_login(user(username))
            for url in (
                "/admin/onde/personnels/",
                f"/admin/onde/personnels/{staff_import.pk}/",
            ):
                with self.subTest(user=username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(
                        self.client.post(
                            url,
                            {"file": SimpleUploadedFile("a.csv", self.data)},
                        ).status_code,
                        404,
                    )
            response = self.client.post(
                f"/admin/onde/personnels/{staff_import.pk}/appliquer/"
            )
            self.assertEqual(response.status_code, 404)
            self.assertNotContains(
                self.client.get("/admin/onde/"),
                "/admin/onde/personnels/",
                status_code=200 if username == "dir.lefevre" else 404,
            )
        staff_import.refresh_from_db()
        self.assertEqual(staff_import.status, OndeImport.Status.PREVIEWED)
        self.assertFalse(
            get_user_model().objects.filter(email="hugo.caron@ac-demo.fr").exists()
        )
