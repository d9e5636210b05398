"""Onboarding a school from its ONDE extraction (issue 15, item 1): the
reader on real-looking and broken files, the preview, the background apply,
a second import changing nothing, what is kept of a pupil, and the scope."""

import datetime
import io
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase

import pytest

from accounts.models import Membership
from onboarding import sample
from onboarding.models import OndeImport
from onboarding.onde import OndeFileError, read_onde
from pupils.models import Pupil
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import user

JULES_FERRY = [
    "CP de Mme Moreau",
    "CE1 de M. Garnier",
    "CE2-CM1 de Mme Roux",
    "CM2 de M. Lefèvre",
]
COQUELICOTS = ["PS-MS de Mme Chevalier", "MS-GS de Mme Benoît", "GS de M. Perrin"]
ROWS = sample.onde_rows(JULES_FERRY, pupils=40, seed=3)
GOOD = sample.onde_file(ROWS)


# The reader


def test_reads_onde_iso_8859_15_with_its_closing_line():
    assert GOOD.decode("iso-8859-15").splitlines()[-1].startswith("Extraction du")
    onde = read_onde(GOOD)
    assert onde.problems == []
    assert len(onde.rows) == len(ROWS)
    first = onde.rows[0]
    assert first.line == 2
    assert first.pupil_first_name == ROWS[0]["Prénom élève"]
    assert first.class_label == ROWS[0]["Libellé classe"]
    # Accents read right, whatever ONDE's encoding of the day.
    names = {row.guardian_first_name for row in onde.rows}
    assert names & {"Hélène", "Émilie", "Céline", "Frédéric", "Jérôme", "Benoît"}


@pytest.mark.parametrize(
    ("encoding", "separator", "closing"),
    [
        ("cp1252", ";", True),
        ("utf-8", ";", False),
        ("utf-8-sig", ",", False),
        ("utf-8-sig", ";", True),
    ],
)
def test_reads_reasonable_variants(encoding, separator, closing):
    rows = [dict(row, **{"Nom de famille élève": "ŒUVRARD"}) for row in ROWS[:5]]
    # Headers in another order and case.
    header = list(reversed([name.upper() for name in sample.ONDE_HEADER]))
    data = sample.onde_file(
        [{name.upper(): value for name, value in row.items()} for row in rows],
        encoding=encoding,
        separator=separator,
        closing=closing,
        header=header,
    )
    onde = read_onde(data)
    assert onde.problems == []
    assert [row.pupil_last_name for row in onde.rows] == ["ŒUVRARD"] * 5
    assert onde.rows[0].email == ROWS[0]["Courriel"]


def test_unknown_layout_lists_the_expected_columns():
    data = "Nom;Prénom;Classe\r\nMARTIN;Léa;CP\r\n".encode("iso-8859-15")
    with pytest.raises(OndeFileError) as refusal:
        read_onde(data)
    message = str(refusal.value)
    for column in ("Nom de famille élève", "Date naissance", "Libellé classe"):
        assert f"« {column} »" in message


def test_a_file_cut_short_names_its_last_line():
    onde = read_onde(sample.broken_truncated(GOOD))
    line, message = onde.problems[-1]
    assert "tronqué" in message
    assert line == len(onde.rows) + 2


def test_broken_files_are_refused_with_a_reason():
    for data, words in (
        (sample.broken_utf16(ROWS), "UTF-16"),
        (sample.broken_double_encoded(ROWS), "Ã©"),
        (sample.broken_huge(ROWS), "5 Mo"),
        (b"", "vide"),
        (b"<html><script>alert(1)</script>", "pas une extraction CSV"),
    ):
        with pytest.raises(OndeFileError) as refusal:
            read_onde(data)
        assert words in str(refusal.value)
    assert len(sample.broken_huge(ROWS)) >= 20 * 1024 * 1024


def test_broken_lines_are_named_with_their_number():
    extra = read_onde(sample.broken_extra_column(ROWS, index=3))
    assert extra.problems == [
        (5, extra.problems[0][1]),
    ]
    assert "16 colonnes au lieu de 15" in extra.problems[0][1]
    duplicated = read_onde(sample.broken_duplicated_row(ROWS, index=3))
    assert [line for line, _message in duplicated.problems] == [6]
    assert "répète la ligne 5" in duplicated.problems[0][1]
    formula = read_onde(sample.broken_formula(ROWS, index=3))
    assert [line for line, _message in formula.problems] == [5]
    assert "formule" in formula.problems[0][1]
    # Telephone numbers are no formulas.
    assert all(row["Téléphone portable"].startswith("06") for row in ROWS)


def test_bad_dates_and_addresses_are_line_problems():
    rows = [dict(row) for row in ROWS[:3]]
    rows[0]["Date naissance"] = "31/02/2019"
    rows[1]["Courriel"] = "pas-une-adresse"
    rows[2]["Prénom élève"] = ""
    onde = read_onde(sample.onde_file(rows))
    assert [line for line, _message in onde.problems] == [2, 3, 4]
    assert "31/02/2019" in onde.problems[0][1]
    assert "pas-une-adresse" in onde.problems[1][1]
    assert "Prénom élève" in onde.problems[2][1]


# The import, through the admin


def snapshot():
    """Everything an import may write, to compare before and after."""
    return (
        sorted(
            Pupil.objects.values_list(
                "pk", "classroom_id", "first_name", "last_initial", "match_key"
            )
        ),
        sorted(Pupil.families.through.objects.values_list("pupil_id", "user_id")),
        sorted(
            Membership.objects.values_list(
                "user_id", "role", "school_id", "classroom_id"
            )
        ),
        sorted(
            get_user_model().objects.values_list(
                "pk", "username", "first_name", "last_name", "email", "password"
            )
        ),
    )


class OndeImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.school = SchoolPage.objects.get(slug="jules-ferry")
        cls.other = SchoolPage.objects.get(slug="les-coquelicots")
        cls.director = user("dir.lefevre")

    def setUp(self):
        self.client.force_login(self.director)

    def upload(self, data, school=None, name="CSVExtraction.csv"):
        school = school or self.school
        return self.client.post(
            f"/admin/onde/ecole/{school.pk}/",
            {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        )

    def preview(self, data, school=None):
        response = self.upload(data, school)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        onde_import = OndeImport.objects.latest("pk")
        self.assertEqual(response["Location"], f"/admin/onde/{onde_import.pk}/")
        return onde_import

    def apply(self, onde_import):
        response = self.client.post(f"/admin/onde/{onde_import.pk}/appliquer/")
        self.assertRedirects(
            response, f"/admin/onde/{onde_import.pk}/progression/", 302
        )
        onde_import.refresh_from_db()
        return onde_import

    def test_preview_counts_then_apply_then_again_changes_nothing(self):
        before = snapshot()
        onde_import = self.preview(GOOD)
        # The preview writes nothing but the import itself.
        self.assertEqual(snapshot(), before)
        counts = onde_import.summary["counts"]
        self.assertEqual(counts["pupils"], {"create": 40, "update": 0, "unchanged": 0})
        guardians = {
            row["Courriel"] or (row["Nom responsable"], row["Prénom responsable"])
            for row in ROWS
        }
        self.assertEqual(counts["guardians"]["create"], len(guardians))
        self.assertGreater(counts["guardians_without_email"], 0)
        # The demo's pupils of Jules-Ferry are not in the file: listed, kept.
        demo_pupils = Pupil.objects.filter(classroom__path__startswith=self.school.path)
        self.assertEqual(counts["departed"], demo_pupils.count())
        page = self.client.get(f"/admin/onde/{onde_import.pk}/")
        self.assertContains(page, "Appliquer l")
        self.assertContains(page, "plus dans le fichier")

        onde_import = self.apply(onde_import)
        self.assertEqual(onde_import.status, OndeImport.Status.DONE)
        self.assertEqual((onde_import.done, onde_import.total), (40, 40))
        self.assertEqual(bytes(onde_import.content), b"")
        imported = Pupil.objects.exclude(match_key="")
        self.assertEqual(imported.count(), 40)
        self.assertEqual(demo_pupils.count(), 40 + counts["departed"])
        families = get_user_model().objects.filter(children__in=imported).distinct()
        self.assertEqual(families.count(), len(guardians))
        for family in families:
            # Not yet activated: no usable password, active.
            self.assertFalse(family.has_usable_password())
            self.assertTrue(family.is_active)
            for child in family.children.all():
                self.assertTrue(
                    Membership.objects.filter(
                        user=family,
                        role="family",
                        school=self.school,
                        classroom=child.classroom,
                    ).exists()
                )
        without_email = families.filter(email="")
        self.assertTrue(without_email.exists())
        self.assertEqual(
            len(set(families.values_list("username", flat=True))), families.count()
        )

        after = snapshot()
        again = self.preview(GOOD)
        self.assertEqual(
            again.summary["counts"]["pupils"],
            {"create": 0, "update": 0, "unchanged": 40},
        )
        self.assertEqual(again.summary["counts"]["guardians"]["create"], 0)
        self.assertEqual(again.summary["counts"]["guardians"]["update"], 0)
        self.apply(again)
        self.assertEqual(snapshot(), after)
        status = self.client.get(f"/admin/onde/{again.pk}/etat.json").json()
        self.assertEqual(status["status"], "done")
        self.assertEqual(status["percent"], 100)

    def test_twins_stay_two_pupils(self):
        twins = [
            sample.onde_row(
                "PETIT",
                name,
                datetime.date(2018, 3, 4),
                "CP de Mme Moreau",
                "Mme",
                "Claire",
                "PETIT",
                "claire.petit@example.fr",
            )
            for name in ("Léo", "Léa")
        ]
        self.apply(self.preview(sample.onde_file(twins)))
        pupils = Pupil.objects.exclude(match_key="").order_by("first_name")
        self.assertEqual([str(pupil) for pupil in pupils], ["Léa P.", "Léo P."])
        self.assertNotEqual(pupils[0].match_key, pupils[1].match_key)
        parent = get_user_model().objects.get(email="claire.petit@example.fr")
        self.assertEqual(parent.children.count(), 2)
        self.assertEqual(
            Membership.objects.filter(user=parent, role="family").count(), 1
        )

    def test_a_guardian_of_two_schools_has_one_account(self):
        shared = ("Mme", "Nadia", "BENALI", "nadia.benali@example.fr")
        born = datetime.date(2017, 5, 6)
        first = sample.onde_row("BENALI", "Yanis", born, "CE1 de M. Garnier", *shared)
        second = sample.onde_row(
            "BENALI", "Inès", born.replace(year=2021), "GS de M. Perrin", *shared
        )
        self.apply(self.preview(sample.onde_file([first])))
        # The team imports the other school.
        self.client.force_login(user("ien.dubois"))
        self.apply(self.preview(sample.onde_file([second]), school=self.other))
        accounts = get_user_model().objects.filter(email="nadia.benali@example.fr")
        self.assertEqual(accounts.count(), 1)
        self.assertEqual(
            set(
                Membership.objects.filter(user=accounts.get()).values_list(
                    "school__slug", flat=True
                )
            ),
            {"jules-ferry", "les-coquelicots"},
        )

    def test_a_pupil_who_moved_class_is_moved_with_the_family(self):
        self.apply(self.preview(GOOD))
        moved = [dict(row) for row in ROWS]
        name = moved[0]["Prénom élève"]
        old, new = moved[0]["Libellé classe"], "CM2 de M. Lefèvre"
        for row in moved:
            if (row["Prénom élève"], row["Libellé classe"]) == (name, old) and row[
                "Nom de famille élève"
            ] == moved[0]["Nom de famille élève"]:
                row["Libellé classe"] = new
        onde_import = self.preview(sample.onde_file(moved))
        self.assertEqual(onde_import.summary["counts"]["pupils"]["update"], 1)
        line = next(p for p in onde_import.summary["pupils"] if p["moved_from"])
        self.assertEqual((line["class"], line["moved_from"]), (new, old))
        page = self.client.get(f"/admin/onde/{onde_import.pk}/")
        self.assertContains(page, "était en")
        self.apply(onde_import)
        pupil = Pupil.objects.get(first_name=name, classroom__title=new)
        for family in pupil.families.all():
            classes = set(
                Membership.objects.filter(user=family, role="family").values_list(
                    "classroom__title", flat=True
                )
            )
            self.assertIn(new, classes)
            if not family.children.filter(classroom__title=old).exists():
                self.assertNotIn(old, classes)

    def test_only_a_first_name_an_initial_and_a_class_are_kept(self):
        self.apply(self.preview(GOOD))
        secrets = set()
        for row in ROWS:
            day, month, year = row["Date naissance"].split("/")
            secrets |= {
                row["Nom de famille élève"].casefold(),
                row["Date naissance"],
                f"{year}-{month}-{day}",
                f"{year}{month}{day}",
            }
        for pupil in Pupil.objects.exclude(match_key=""):
            self.assertEqual(len(pupil.last_initial), 1)
            self.assertRegex(pupil.match_key, r"^[0-9a-f]{64}$")
            for value in (pupil.first_name, pupil.last_initial, pupil.match_key):
                for secret in secrets:
                    self.assertNotIn(secret, value.casefold())
        # Nor in the import kept for the record, once applied.
        onde_import = OndeImport.objects.get()
        self.assertEqual(bytes(onde_import.content), b"")
        text = str(onde_import.summary).casefold()
        dates = {secret for secret in secrets if secret[:1].isdigit()}
        for secret in dates:
            self.assertNotIn(secret, text)
        for line in onde_import.summary["pupils"]:
            for secret in secrets:
                self.assertNotIn(secret, line["pupil"].casefold())

    def test_bad_input_changes_nothing_and_names_the_line(self):
        before = snapshot()
        for data in (
            sample.broken_formula(ROWS),
            sample.broken_extra_column(ROWS),
            sample.broken_duplicated_row(ROWS),
            sample.broken_truncated(GOOD),
        ):
            onde_import = self.preview(data)
            page = self.client.get(f"/admin/onde/{onde_import.pk}/")
            self.assertContains(page, "data-onde-problems")
            self.assertContains(page, "Ligne")
            self.assertNotContains(page, "Appliquer l")
            response = self.client.post(f"/admin/onde/{onde_import.pk}/appliquer/")
            self.assertRedirects(response, f"/admin/onde/{onde_import.pk}/")
            onde_import.refresh_from_db()
            self.assertEqual(onde_import.status, OndeImport.Status.PREVIEWED)
        self.assertEqual(snapshot(), before)
        for data, words in (
            (sample.broken_utf16(ROWS), "UTF-16"),
            (sample.broken_huge(ROWS), "5 Mo"),
            (b"Nom;Classe\r\nMARTIN;CP\r\n", "Nom de famille élève"),
        ):
            count = OndeImport.objects.count()
            response = self.upload(data)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, words)
            self.assertEqual(OndeImport.objects.count(), count)
        self.assertEqual(snapshot(), before)

    def test_a_class_renamed_after_the_preview_stops_the_import(self):
        onde_import = self.preview(GOOD)
        older = self.preview(GOOD)
        self.assertFalse(OndeImport.objects.filter(pk=onde_import.pk).exists())
        classroom = ClassroomPage.objects.get(title="CE1 de M. Garnier")
        classroom.title = "CE1 de M. Garnier (ancienne)"
        classroom.save()
        before = snapshot()
        older = self.apply(older)
        self.assertEqual(older.status, OndeImport.Status.FAILED)
        self.assertIn("Ligne", older.error)
        self.assertIn("CE1 de M. Garnier", older.error)
        self.assertEqual(bytes(older.content), b"")
        self.assertEqual(snapshot(), before)
        page = self.client.get(f"/admin/onde/{older.pk}/progression/")
        self.assertContains(page, "import s'est arrêté")

    def test_an_unknown_class_is_a_line_problem(self):
        rows = [dict(ROWS[0], **{"Libellé classe": "CM1 de Mme Inconnue"})]
        onde_import = self.preview(sample.onde_file(rows))
        problem = onde_import.summary["problems"][0]
        self.assertEqual(problem["line"], 2)
        self.assertIn("CM1 de Mme Inconnue", problem["message"])
        self.assertFalse(ClassroomPage.objects.filter(title__icontains="Inconnue"))
        # Case and spaces do not matter.
        rows = [dict(ROWS[0], **{"Libellé classe": "  cp  DE mme moreau "})]
        self.assertEqual(self.preview(sample.onde_file(rows)).summary["problems"], [])

    def test_progress_page_polls_with_a_script_of_the_site(self):
        onde_import = self.apply(self.preview(GOOD))
        page = self.client.get(f"/admin/onde/{onde_import.pk}/progression/")
        self.assertContains(page, "onboarding/progress.js")
        self.assertContains(
            page, f'data-onde-status-url="/admin/onde/{onde_import.pk}/etat.json"'
        )
        html = page.content.decode()
        for script in re.findall(
            r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S
        ):
            self.assertNotIn("etat.json", script)
            self.assertNotIn("fetch(", script)

    def test_a_director_cannot_import_into_another_school(self):
        self.client.force_login(user("dir.chevalier"))
        foreign = self.preview(
            sample.onde_file(sample.onde_rows(COQUELICOTS, pupils=3)), school=self.other
        )
        self.client.force_login(self.director)
        before = snapshot()
        self.assertEqual(
            self.client.get(f"/admin/onde/ecole/{self.other.pk}/").status_code, 404
        )
        self.assertEqual(self.upload(GOOD, school=self.other).status_code, 404)
        for suffix in ("", "progression/", "etat.json"):
            response = self.client.get(f"/admin/onde/{foreign.pk}/{suffix}")
            self.assertEqual(response.status_code, 404, suffix)
        response = self.client.post(f"/admin/onde/{foreign.pk}/appliquer/")
        self.assertEqual(response.status_code, 404)
        foreign.refresh_from_db()
        self.assertEqual(foreign.status, OndeImport.Status.PREVIEWED)
        index = self.client.get("/admin/onde/")
        self.assertContains(index, self.school.title)
        self.assertNotContains(index, self.other.title)
        self.assertEqual(snapshot(), before)
        # A teacher has no import at all.
        self.client.force_login(user("ens.moreau"))
        self.assertEqual(self.client.get("/admin/onde/").status_code, 404)
        self.assertEqual(self.upload(GOOD).status_code, 404)


class ImportCommandTests(TestCase):
    def test_imports_with_progress_and_again_changes_nothing(self):
        path = sample_path(self, GOOD, "0451001J-CSVExtraction.csv")
        out = io.StringIO()
        call_command("import_onde", str(path), stdout=out)
        self.assertIn("40/40", out.getvalue())
        self.assertEqual(Pupil.objects.exclude(match_key="").count(), 40)
        after = snapshot()
        out = io.StringIO()
        call_command("import_onde", str(path), "--school", "0451001J", stdout=out)
        self.assertIn("40 inchangés", out.getvalue())
        self.assertEqual(snapshot(), after)

    def test_a_file_with_problems_imports_nothing(self):
        path = sample_path(self, sample.broken_formula(ROWS), "CSVExtraction.csv")
        before = snapshot()
        with self.assertRaises(CommandError):
            call_command(
                "import_onde",
                str(path),
                "--school",
                "0451001J",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        self.assertEqual(snapshot(), before)


def sample_path(test, data, name):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    test.addCleanup(lambda: [p.unlink() for p in folder.iterdir()] and folder.rmdir())
    path = folder / name
    path.write_bytes(data)
    return path
