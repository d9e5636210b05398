"""The daily round of departures, for cron: notices, then deletions."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from departures.schedule import apply_departures


class Command(BaseCommand):
    help = (
        "Send the deletion notices and delete the accounts of people who left "
        "the district (families with no child left, staff who left). Safe to "
        "run more than once a day."
    )

    def handle(self, *args, **options):
        with translation.override("fr"):
            done = apply_departures()
            lines = [
                ngettext(
                    "%(count)d new departing account.",
                    "%(count)d new departing accounts.",
                    done.departing,
                )
                % {"count": done.departing},
                ngettext(
                    "%(count)d deletion notice sent.",
                    "%(count)d deletion notices sent.",
                    len(done.notices),
                )
                % {"count": len(done.notices)},
                ngettext(
                    "%(count)d account deleted.",
                    "%(count)d accounts deleted.",
                    len(done.deleted),
                )
                % {"count": len(done.deleted)},
            ]
            if done.pupils_deleted:
                lines.append(
                    ngettext(
                        "%(count)d departed pupil deleted.",
                        "%(count)d departed pupils deleted.",
                        done.pupils_deleted,
                    )
                    % {"count": done.pupils_deleted}
                )
            if done.back:
                lines.append(
                    ngettext(
                        "%(count)d account kept: the person is back.",
                        "%(count)d accounts kept: the people are back.",
                        done.back,
                    )
                    % {"count": done.back}
                )
            for name in done.waiting:
                lines.append(
                    _("%(name)s: not deleted yet, pages still to hand over.")
                    % {"name": name}
                )
        self.stdout.write("\n".join(lines))
