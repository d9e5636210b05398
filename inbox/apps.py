from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Personal feed and notifications")

    def ready(self):
        from inbox import signals  # noqa: F401
