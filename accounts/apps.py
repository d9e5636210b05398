from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and memberships")

    def ready(self):
        from accounts import signals

        post_migrate.connect(signals.create_district_team_group, sender=self)
