"""Import school staff from the académie's directory (a simple CSV: Nom,
Prénom, Courriel, UAI, Rôle, Classes): the preview is printed, a file with a
problem changes nothing, a second run changes nothing either."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.log import because
from onboarding.onde import OndeFileError
from onboarding.staff import StaffPlan


class Command(BaseCommand):
    help = "Import school staff (directors, teachers) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the preview only."
        )

    def handle(self, file, dry_run=False, **options):
        try:
            plan = StaffPlan(file.read_bytes())
        except (OSError, OndeFileError) as error:
            raise CommandError(str(error)) from error
        counts = plan.counts()
        self.stdout.write(
            _(
                "Staff accounts: %(create)s to create, %(update)s to update, "
                "%(same)s unchanged."
            )
            % {
                "create": counts["create"],
                "update": counts["update"],
                "same": counts["unchanged"],
            }
        )
        if plan.problems:
            for line, problem in plan.problems:
                self.stderr.write(
                    _("Line %(line)s: %(problem)s") % {"line": line, "problem": problem}
                )
            raise CommandError(_("Nothing imported: correct these lines."))
        if not dry_run:
            with because(_("Staff import of %(file)s") % {"file": file.name}):
                plan.apply()
            self.stdout.write(_("Done."))
