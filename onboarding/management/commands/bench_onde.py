"""Time the ONDE import of a made-up school: 600 pupils (about 1,100 rows)
by default, read and previewed (goal: under 10 s), applied (goal: under
60 s), then previewed and applied again (it must change nothing). Everything
is rolled back at the end: the database is left as it was."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from onboarding.matching import Plan
from onboarding.onde import read_onde
from onboarding.sample import LEVELS, onde_file, onde_rows
from schools.models import SchoolIndexPage


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the preview and the apply of an ONDE import (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--pupils", type=int, default=600)
        parser.add_argument("--classes", type=int, default=24)

    def handle(self, pupils, classes, **options):
        from tests import factories

        parent = SchoolIndexPage.objects.first()
        if parent is None:
            raise CommandError("No school index page: run seed_demo first.")
        try:
            with transaction.atomic():
                school = factories.SchoolPageFactory(
                    parent=parent, title="École du banc d'essai ONDE"
                )
                titles = []
                for number in range(classes):
                    level = LEVELS[3 + number % 5]
                    title = f"{level} de Mme Banc {number + 1}"
                    factories.ClassroomPageFactory(parent=school, title=title)
                    titles.append(title)
                data = onde_file(onde_rows(titles, pupils=pupils))
                rows = data.count(b"\n") - 2
                self.stdout.write(
                    f"File: {pupils} pupils, {rows} rows, {len(data) / 1024:.0f} KB"
                )
                self.run(school, data, "first import", expect_unchanged=False)
                self.run(school, data, "second import", expect_unchanged=True)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back.")

    def run(self, school, data, label, expect_unchanged):
        start = time.perf_counter()
        plan = Plan(school, read_onde(data))
        counts = plan.counts()
        preview = time.perf_counter() - start
        if plan.problems:
            raise CommandError(f"Problems in the generated file: {plan.problems[:3]}")
        start = time.perf_counter()
        plan.apply()
        applied = time.perf_counter() - start
        self.stdout.write(
            f"{label}: preview {preview:.2f} s (goal < 10 s), apply "
            f"{applied:.2f} s (goal < 60 s); pupils {counts['pupils']}, "
            f"family accounts {counts['guardians']}"
        )
        if expect_unchanged and (
            counts["pupils"]["create"] + counts["pupils"]["update"]
            or counts["guardians"]["create"] + counts["guardians"]["update"]
        ):
            raise CommandError("The second import would change something.")
