from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wagtail.models import Page

from pupils.rights import enforce_image_rights


class Command(BaseCommand):
    help = (
        "Take off live pages the photos their audience no longer allows (for "
        "a daily cron job: consents last one school year)."
    )

    def handle(self, *args, **options):
        removed = 0
        for page in Page.objects.live().specific():
            removed += len(enforce_image_rights(page))
        self.stdout.write(_("%(count)s photo(s) taken off.") % {"count": removed})
