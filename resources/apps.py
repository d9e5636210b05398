from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Teaching resources")

    def ready(self):
        from resources import signals  # noqa: F401
