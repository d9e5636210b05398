from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Personal feed and notifications")

    def ready(self):
        from inbox import feed, recipients, signals  # noqa: F401
        from news.forms import REACH
        from news.models import READER_STATE

        # A news item served reads its recipient row and marks itself read.
        READER_STATE.with_recipient = feed.with_recipient
        READER_STATE.opened = feed.opened
        # The news form says how many people an item would be addressed to.
        REACH.count = recipients.reach
