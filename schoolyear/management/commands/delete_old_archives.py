"""Daily (cron): delete last year's classes archived more than
``ENT_ARCHIVE_DAYS`` ago, with their news and memberships."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schoolyear.archive import (
    delete_archived_class,
    deletion_due,
    still_has_present_pupils,
)


class Command(BaseCommand):
    help = "Delete the archived classes whose archive period is over."

    def handle(self, *args, **options):
        deleted = 0
        for classroom in deletion_due():
            if still_has_present_pupils(classroom):
                self.stderr.write(
                    _(
                        "Kept %(class)s (%(year)s): pupils still present were "
                        "never placed in a class of the new year."
                    )
                    % {"class": classroom.title, "year": classroom.school_year}
                )
                continue
            delete_archived_class(classroom)
            deleted += 1
        self.stdout.write(
            ngettext(
                "%(count)d archived class deleted.",
                "%(count)d archived classes deleted.",
                deleted,
            )
            % {"count": deleted}
        )
