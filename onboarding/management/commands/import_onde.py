"""Import the ONDE extractions of one or more schools, with the rules of the
admin's import: a file with a problem changes nothing, a second run of the
same file changes nothing either. With ``--background``, each file whose
preview is clean becomes a queued import of its school, applied by the
notifications worker and followed in the admin."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.log import because
from onboarding.matching import Plan
from onboarding.models import OndeImport
from onboarding.onde import OndeFileError, read_onde
from onboarding.tasks import apply_onde_import
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
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue each clean file's import for the notifications worker "
            "(manage.py db_worker --backend notifications) instead of applying "
            "it here.",
        )

    def handle(self, files, school=None, dry_run=False, background=False, **options):
        failed = queued = 0
        for number, path in enumerate(files, start=1):
            self.stdout.write(f"[{number}/{len(files)}] {path.name}")
            try:
                queued += bool(self.import_file(path, school, dry_run, background))
            except CommandError as error:
                failed += 1
                self.stderr.write(f"  {error}")
        if queued:
            self.stdout.write(
                _(
                    "%(queued)s import(s) queued. The worker applies them "
                    "(manage.py db_worker --backend notifications); follow "
                    "them at %(url)s"
                )
                % {"queued": queued, "url": self.admin_url(reverse("onde_index"))}
            )
        if failed:
            raise CommandError(
                _("%(failed)s file(s) of %(total)s not imported.")
                % {"failed": failed, "total": len(files)}
            )

    def admin_url(self, path):
        return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + path

    def import_file(self, path, uai, dry_run, background=False):
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
            return None
        if background:
            return self.queue(school, path, plan)

        def progress(done, total):
            self.stdout.write(f"  {done}/{total}")

        with because(_("ONDE import of %(file)s") % {"file": path.name}):
            plan.apply(progress)
        self.stdout.write("  " + _("Done."))

    def queue(self, school, path, plan):
        """An import of ``school``, queued as the admin's « Apply » does."""
        content = path.read_bytes()
        # As in the admin: a newer file replaces a preview never applied.
        OndeImport.objects.filter(
            kind=OndeImport.Kind.ONDE,
            school=school,
            status=OndeImport.Status.PREVIEWED,
        ).delete()
        onde_import = OndeImport.objects.create(
            school=school,
            file_name=path.name[:150],
            content=content,
            summary=plan.summary(),
            total=len(plan.pupils),
            status=OndeImport.Status.QUEUED,
        )
        apply_onde_import.enqueue(onde_import.pk)
        self.stdout.write(
            "  "
            + _("Queued: %(url)s")
            % {"url": self.admin_url(reverse("onde_progress", args=[onde_import.pk]))}
        )
        return onde_import
