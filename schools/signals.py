"""Schools and classes get their groups, collections and workflows
(``accounts.provisioning``) when they are saved, archived or moved."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.signals import page_unpublished, post_page_move

from accounts import provisioning
from accounts.signals import needs_provisioning
from schools.models import ClassroomPage, SchoolPage


@receiver(post_save, sender=SchoolPage)
def provision_school(sender, instance, update_fields, **kwargs):
    if needs_provisioning(instance, update_fields):
        provisioning.provision_school(instance)


@receiver(post_save, sender=ClassroomPage)
def provision_classroom(sender, instance, update_fields, **kwargs):
    if needs_provisioning(instance, update_fields):
        provisioning.provision_classroom(instance)


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
