from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeparturesConfig(AppConfig):
    name = "departures"
    verbose_name = _("Departures")

    def ready(self):
        from departures import signals  # noqa: F401
