"""Everything the site does once a day, for one cron line: each step in
turn, each told in French, the others still run when one fails."""

import io
import traceback

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def command(name):
    """A management command as a step: its output, as text."""

    def run():
        out = io.StringIO()
        call_command(name, stdout=out)
        return out.getvalue().strip()

    return name, run


def purge_imports():
    from onboarding.retention import purge_old_imports
    from schoolyear.archive import forget_unopened_files

    count = purge_old_imports() + forget_unopened_files()
    return ngettext(
        "%(count)d old import deleted.", "%(count)d old imports deleted.", count
    ) % {"count": count}


# In this order: departures before the image-rights check (a departed
# pupil's photos), the digest last (it tells of what the day published).
STEPS = [
    command("apply_departures"),
    command("delete_old_archives"),
    command("check_image_rights"),
    command("purge_audit_log"),
    command("purge_pending_uploads"),
    ("purge_imports", purge_imports),
    command("clearsessions"),
    command("send_digests"),
]


class Command(BaseCommand):
    help = (
        "Run every daily task of the site (departures, archives, image "
        "rights, purges, sessions, digests): one cron line, once a day."
    )

    def handle(self, *args, **options):
        failed = []
        for name, run in STEPS:
            try:
                said = run() or _("done.")
            except Exception:  # noqa: BLE001 (the other steps still run)
                failed.append(name)
                self.stderr.write(f"{name}:\n{traceback.format_exc()}")
                continue
            self.stdout.write(f"{name}: {said}")
        if failed:
            raise CommandError(
                _("These daily steps failed: %(steps)s.") % {"steps": ", ".join(failed)}
            )
