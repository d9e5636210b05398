import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from audit.log import ent_entries


class Command(BaseCommand):
    help = (
        "Delete the log's entries older than ENT_AUDIT_LOG_DAYS: every entry "
        "about an object other than a page (memberships, pupils, accounts, "
        "images…), and the ent.* entries about pages; the rest of a page's "
        "history stays with the page (daily, for a cron job)."
    )

    def handle(self, *args, **options):
        limit = timezone.now() - datetime.timedelta(days=settings.ENT_AUDIT_LOG_DAYS)
        deleted = 0
        for model in registry.get_log_entry_models():
            entries = (
                model.objects.all() if model is ModelLogEntry else ent_entries(model)
            )
            count, _by_model = entries.filter(timestamp__lt=limit).delete()
            deleted += count
        self.stdout.write(
            ngettext(
                "%(count)s audit log entry older than %(days)s days deleted.",
                "%(count)s audit log entries older than %(days)s days deleted.",
                deleted,
            )
            % {"count": deleted, "days": settings.ENT_AUDIT_LOG_DAYS}
        )
