import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import UploadedFile

from mediafiles.models import PendingUpload

PENDING_FOR = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Delete, with their files, the uploads of the multiple uploader whose "
        "form nobody completed within a day (for a cron job)."
    )

    def handle(self, *args, **options):
        # Uploads kept before they were dated get their day from now.
        PendingUpload.objects.bulk_create(
            PendingUpload(upload=upload)
            for upload in UploadedFile.objects.filter(ent_pending__isnull=True)
        )
        expired = UploadedFile.objects.filter(
            ent_pending__received_at__lt=timezone.now() - PENDING_FOR
        )
        deleted = 0
        for upload in expired:
            if upload.file:
                upload.file.delete(save=False)
            upload.delete()
            deleted += 1
        self.stdout.write(
            _("%(count)s pending upload(s) deleted.") % {"count": deleted}
        )
