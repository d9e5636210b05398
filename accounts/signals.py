from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import provisioning
from accounts.models import Membership, ScopeGroup


def needs_provisioning(instance, update_fields):
    """Whether a page just saved (a school, a class, the library) asks for its
    groups and collection: the domain apps' receivers call it."""
    if update_fields is not None and "title" not in update_fields:
        return False
    return provisioning.is_provisioned_locale(instance)


@receiver(post_delete, sender=ScopeGroup)
def retire_scope(sender, instance, **kwargs):
    provisioning.retire(instance)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def sync_groups(sender, instance, **kwargs):
    provisioning.sync_user_groups(instance.user)


def create_district_team_group(sender, **kwargs):
    """After migrations: the permissions of every app exist first (Django only
    creates them app by app), then the district team's group gets them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    provisioning.district_team_group()
