from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisibilityConfig(AppConfig):
    name = "visibility"
    verbose_name = _("Visibility")

    def ready(self):
        from django.db.models.signals import post_migrate

        from audit.readers import READERS
        from visibility import cache, cache_keys, signals  # noqa: F401
        from visibility.audience import is_district_team
        from visibility.people import connect_signals

        # A person's cached access is dropped whenever it may change.
        connect_signals()

        # The district team reads the journal of personal data (``audit``).
        READERS.check = is_district_team

        # A database migrated or flushed gets a new identity in the cache.
        post_migrate.connect(renew_after_migrate, sender=self)


def renew_after_migrate(using, **kwargs):
    from django.db import DEFAULT_DB_ALIAS

    from visibility.cache_keys import renew

    if using == DEFAULT_DB_ALIAS:
        renew()
