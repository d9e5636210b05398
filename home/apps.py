from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("District")

    def ready(self):
        from django.db.models.signals import post_migrate

        from home import admin_access, cache, cache_keys, signals  # noqa: F401

        # A database migrated or flushed gets a new identity in the cache.
        post_migrate.connect(renew_after_migrate, sender=self)


def renew_after_migrate(using, **kwargs):
    from django.db import DEFAULT_DB_ALIAS

    from home.cache_keys import renew

    if using == DEFAULT_DB_ALIAS:
        renew()
