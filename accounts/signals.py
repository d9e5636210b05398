from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_unpublished, post_page_move

from accounts import provisioning
from accounts.models import Membership, ScopeGroup
from resources.models import ResourceIndexPage
from schools.models import ClassroomPage, SchoolPage


def needs_provisioning(instance, update_fields):
    if update_fields is not None and "title" not in update_fields:
        return False
    return provisioning.is_provisioned_locale(instance)


@receiver(post_save, sender=SchoolPage)
def provision_school(sender, instance, update_fields, **kwargs):
    if needs_provisioning(instance, update_fields):
        provisioning.provision_school(instance)


@receiver(post_save, sender=ClassroomPage)
def provision_classroom(sender, instance, update_fields, **kwargs):
    if needs_provisioning(instance, update_fields):
        provisioning.provision_classroom(instance)


@receiver(post_save, sender=ResourceIndexPage)
def provision_library(sender, instance, update_fields, **kwargs):
    if needs_provisioning(instance, update_fields):
        provisioning.provision_library(instance)


@receiver(page_unpublished, sender=ClassroomPage)
def archive_classroom(sender, instance, **kwargs):
    provisioning.archive_classroom(instance)


@receiver(post_page_move, sender=ClassroomPage)
def follow_moved_classroom(
    sender, instance, parent_page_before, parent_page_after, **kwargs
):
    """A class moved to another school (a district team decision) takes its
    members, its teachers' group and its collection along."""
    if parent_page_before.pk != parent_page_after.pk:
        provisioning.move_classroom(instance, parent_page_after.specific)


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
