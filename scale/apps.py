from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """Generated districts at scale, to measure the site (``seed_scale``)."""

    name = "scale"
    verbose_name = _("Generated districts")
