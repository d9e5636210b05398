from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import provisioning
from accounts.models import Membership, ScopeGroup
from audit.log import record
from visibility.people import forget_person


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


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def forget_member(sender, instance, **kwargs):
    """What a person's memberships open is kept with their session
    (``visibility.people``): it is read again at their next request."""
    forget_person(instance.user_id)


def membership_entry(membership):
    """The audit log's label and data for ``membership``: the person's name,
    role and place, never their e-mail address (``str(membership)`` has it);
    ``user_id`` lets the person's deletion take the name off."""
    try:
        user = membership.user
        name = user.get_full_name() or user.get_username()
        school = membership.school.title
        classroom = membership.classroom.title if membership.classroom_id else ""
    except ObjectDoesNotExist:
        # Deleted along with what it named: only the ids are left.
        name, school, classroom = "", "", ""
    place = f"{classroom} ({school})" if classroom else school
    role = membership.get_role_display()
    title = " · ".join(part for part in (name, str(role), place) if part)
    data = {
        "role": membership.role,
        "school": school,
        "class": classroom,
        "user_id": membership.user_id,
    }
    return title, data


@receiver(post_save, sender=Membership)
def log_membership_added(sender, instance, created, raw=False, **kwargs):
    """A membership given is in the audit log, in the name of who gave it
    (the admin's log context, or an import's ``because``)."""
    if created and not raw:
        title, data = membership_entry(instance)
        record(instance, "ent.membership.added", title=title, **data)


@receiver(post_delete, sender=Membership)
def log_membership_removed(sender, instance, **kwargs):
    title, data = membership_entry(instance)
    record(instance, "ent.membership.removed", title=title, **data)


def create_district_team_group(sender, **kwargs):
    """After migrations: the permissions of every app exist first (Django only
    creates them app by app), then the district team's group gets them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    provisioning.district_team_group()
