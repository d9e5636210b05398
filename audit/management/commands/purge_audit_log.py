import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from wagtail.log_actions import registry

from audit.log import ent_entries


class Command(BaseCommand):
    help = (
        "Delete the audit log's entries about personal data (the ent.* "
        "actions) older than ENT_AUDIT_LOG_DAYS; Wagtail's own entries stay "
        "(daily, for a cron job)."
    )

    def handle(self, *args, **options):
        limit = timezone.now() - datetime.timedelta(days=settings.ENT_AUDIT_LOG_DAYS)
        deleted = 0
        for model in registry.get_log_entry_models():
            count, _by_model = ent_entries(model).filter(timestamp__lt=limit).delete()
            deleted += count
        self.stdout.write(
            ngettext(
                "%(count)s audit log entry older than %(days)s days deleted.",
                "%(count)s audit log entries older than %(days)s days deleted.",
                deleted,
            )
            % {"count": deleted, "days": settings.ENT_AUDIT_LOG_DAYS}
        )
