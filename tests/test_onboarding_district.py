"""A district import in the background (issue 15, goal: « A 60-school
district import, run in the background, shows its progress. It can be run
again and then changes nothing. »): `import_onde FILE… --background` queues
one import per clean school file on the notifications queue, the real
database worker applies them, the admin's index shows each school's state
and progress, and a second run changes nothing."""

import io

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from onboarding import sample
from onboarding.models import OndeImport
from schools.models import SchoolPage
from tests.conftest import user
from tests.test_onboarding_onde import COQUELICOTS, JULES_FERRY, sample_path, snapshot

FAURE_BLANC = ["CP-CE1 de Mme Faure", "CE2-CM2 de M. Blanc"]
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def work_the_queue():
    """The database worker's own code (``db_worker --backend notifications
    --batch``), minus its SQLite « BEGIN EXCLUSIVE », which cannot run inside
    a test's transaction: each ready task claimed, then run by ``Worker``."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="notifications",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    ready = DBTaskResult.objects.ready().filter(backend_name="notifications")
    while (task_result := ready.first()) is not None:
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)


@override_settings(TASKS=DATABASE_QUEUE)
class DistrictImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.files = {
            "0451001J": sample.onde_file(
                sample.onde_rows(JULES_FERRY, pupils=30, seed=1)
            ),
            "0451002K": sample.onde_file(
                sample.onde_rows(COQUELICOTS, pupils=25, seed=2)
            ),
        }
        cls.broken = sample.broken_duplicated_row(
            sample.onde_rows(FAURE_BLANC, pupils=10, seed=3)
        )

    def paths(self):
        return [
            sample_path(self, data, f"{uai}-CSVExtraction.csv")
            for uai, data in self.files.items()
        ]

    def run_background(self, paths):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(
                "import_onde",
                *map(str, paths),
                "--background",
                stdout=out,
                stderr=err,
            )
        except CommandError as error:
            err.write(str(error))
        return out.getvalue(), err.getvalue()

    def test_queued_applied_by_the_worker_followed_and_again_nothing(self):
        before = snapshot()
        broken = sample_path(self, self.broken, "0451003L-CSVExtraction.csv")
        out, err = self.run_background([*self.paths(), broken])
        # Previews checked first: the broken file is reported, not queued.
        self.assertIn("répète la ligne", err)
        self.assertIn("1 fichier(s) sur 3", err)
        self.assertIn("2 import(s) en attente", out)
        self.assertIn("/admin/onde/", out)
        imports = OndeImport.objects.filter(kind=OndeImport.Kind.ONDE)
        self.assertEqual(
            sorted(imports.values_list("school__uai", "status")),
            [("0451001J", "queued"), ("0451002K", "queued")],
        )
        self.assertFalse(imports.filter(school__uai="0451003L").exists())
        self.assertEqual(DBTaskResult.objects.filter(status="READY").count(), 2)
        for onde_import in imports:
            self.assertIn(f"/admin/onde/{onde_import.pk}/progression/", out)
        # Nothing is written before the worker runs.
        self.assertEqual(snapshot(), before)

        self.client.force_login(user("ien.dubois"))
        index = self.client.get("/admin/onde/")
        self.assertContains(index, '">En attente</a>', count=2)
        self.assertContains(index, "0 / 30 (0 %)")

        work_the_queue()
        self.assertEqual(
            sorted(imports.values_list("school__uai", "status", "done", "total")),
            [("0451001J", "done", 30, 30), ("0451002K", "done", 25, 25)],
        )
        self.assertFalse(imports.exclude(content=b"").exists())
        index = self.client.get("/admin/onde/")
        self.assertContains(index, "30 / 30 (100 %)")
        self.assertContains(index, "25 / 25 (100 %)")
        after = snapshot()
        self.assertNotEqual(after, before)

        # Again: queued, applied, and nothing changes.
        out, err = self.run_background(self.paths())
        self.assertEqual(err, "")
        again = imports.filter(status=OndeImport.Status.QUEUED)
        self.assertEqual(again.count(), 2)
        for onde_import in again:
            counts = onde_import.summary["counts"]
            self.assertEqual(counts["pupils"]["create"], 0)
            self.assertEqual(counts["pupils"]["update"], 0)
            self.assertEqual(counts["guardians"]["create"], 0)
        work_the_queue()
        self.assertEqual(imports.filter(status=OndeImport.Status.DONE).count(), 4)
        self.assertEqual(snapshot(), after)

    def test_a_director_sees_only_their_school_in_the_index(self):
        self.run_background(self.paths())
        self.client.force_login(user("dir.lefevre"))
        index = self.client.get("/admin/onde/")
        self.assertContains(index, '">En attente</a>', count=1)
        self.assertNotContains(index, SchoolPage.objects.get(uai="0451002K").title)
