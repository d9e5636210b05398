from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Personal feed and notifications")

    def ready(self):
        from inbox import feed, signals  # noqa: F401
        from news.models import READER_STATE

        # A news item served reads its recipient row and marks itself read.
        READER_STATE.with_recipient = feed.with_recipient
        READER_STATE.opened = feed.opened
