from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = _("Pupils and image rights")

    def ready(self):
        from mediafiles.forms import NARROWED_FIELDS
        from news.forms import PHOTO_RIGHTS
        from pages.forms import PUBLISHING_CHECKS
        from pupils import signals  # noqa: F401
        from pupils.forms import narrow_pupils, pupils_for_photo
        from pupils.rights import consent_problems, photo_problems

        # Photos of pupils are published only where their consents allow,
        # and an editor names only the pupils of their own classes.
        if consent_problems not in PUBLISHING_CHECKS:
            PUBLISHING_CHECKS.append(consent_problems)
        NARROWED_FIELDS["pupils"] = narrow_pupils
        # The news form asks who is on a photo dropped into it, and refuses
        # it where their consents do not allow it.
        PHOTO_RIGHTS.pupils = pupils_for_photo
        PHOTO_RIGHTS.problems = photo_problems
