"""Import the ONDE extractions of one or more schools, with the rules of the
admin's import: a file with a problem changes nothing, a second run of the
same file changes nothing either."""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onboarding.matching import Plan
from onboarding.onde import OndeFileError, read_onde
from schools.models import SchoolPage

UAI_IN_NAME = re.compile(r"\d{7}[A-Za-z]")


class Command(BaseCommand):
    help = "Import ONDE extractions (pupils and their guardians) into schools."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--school",
            help="UAI of the school (else read from each file's name, e.g. "
            "0451001J-CSVExtraction.csv)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the preview only."
        )

    def handle(self, files, school=None, dry_run=False, **options):
        failed = 0
        for number, path in enumerate(files, start=1):
            self.stdout.write(f"[{number}/{len(files)}] {path.name}")
            try:
                self.import_file(path, school, dry_run)
            except CommandError as error:
                failed += 1
                self.stderr.write(f"  {error}")
        if failed:
            raise CommandError(
                _("%(failed)s file(s) of %(total)s not imported.")
                % {"failed": failed, "total": len(files)}
            )

    def import_file(self, path, uai, dry_run):
        if not uai:
            found = UAI_IN_NAME.search(path.name)
            if not found:
                raise CommandError(_("No UAI in the file name: give it with --school."))
            uai = found.group(0).upper()
        school = SchoolPage.objects.filter(uai=uai.upper()).first()
        if school is None:
            raise CommandError(_("No school has the UAI %(uai)s.") % {"uai": uai})
        try:
            plan = Plan(school, read_onde(path.read_bytes()))
        except (OSError, OndeFileError) as error:
            raise CommandError(str(error)) from error
        counts = plan.counts()
        self.stdout.write(
            "  "
            + _(
                "%(school)s: pupils %(p_create)s to create, %(p_update)s to "
                "update, %(p_same)s unchanged; family accounts %(g_create)s to "
                "create, %(g_update)s to update, %(g_same)s unchanged; "
                "%(departed)s no longer in the file."
            )
            % {
                "school": school.title,
                "p_create": counts["pupils"]["create"],
                "p_update": counts["pupils"]["update"],
                "p_same": counts["pupils"]["unchanged"],
                "g_create": counts["guardians"]["create"],
                "g_update": counts["guardians"]["update"],
                "g_same": counts["guardians"]["unchanged"],
                "departed": counts["departed"],
            }
        )
        if plan.problems:
            for line, problem in plan.problems:
                self.stderr.write(
                    "  "
                    + _("Line %(line)s: %(problem)s")
                    % {
                        "line": line,
                        "problem": problem,
                    }
                )
            raise CommandError(_("Nothing imported: correct these lines."))
        if dry_run:
            return

        def progress(done, total):
            self.stdout.write(f"  {done}/{total}")

        plan.apply(progress)
        self.stdout.write("  " + _("Done."))
