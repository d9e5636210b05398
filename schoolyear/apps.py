from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolyearConfig(AppConfig):
    name = "schoolyear"
    verbose_name = _("School year")

    def ready(self):
        from pages.mixins import READ_ONLY_RULES
        from schoolyear.archive import archived_class_paths

        # Last year's classes and their news are read-only for school staff.
        if archived_class_paths not in READ_ONLY_RULES:
            READ_ONLY_RULES.append(archived_class_paths)
