"""Staff from the académie's directory (issue 15, item 2), from the command
line: preview, checks, apply, and a second run that changes nothing."""

import io

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase

from accounts.models import Membership
from onboarding.onde import OndeFileError
from onboarding.staff import StaffPlan
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
