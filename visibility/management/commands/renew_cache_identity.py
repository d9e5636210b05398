"""Give the database a new identity in the cache, after restoring a backup."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from visibility.cache_keys import renew


class Command(BaseCommand):
    help = (
        "Give the database a new identity in the cache: nothing cached before "
        "(pages, routing, sessions, renditions) is read again. Run it after "
        "restoring a backup."
    )

    def handle(self, *args, **options):
        renew()
        self.stdout.write(
            _(
                "The cache now belongs to the database as it is: nothing cached "
                "before is read again."
            )
        )
