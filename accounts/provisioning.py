"""What a school, a class or the library needs, created with it and removed
with it.

The library gets a contributors' group (every teacher and director: propose
resources and upload their files) and a moderation workflow of the district
team. A school gets a directors' group (edit and publish in the school's subtree,
manage its members, media of its collection) and a validation workflow whose
approvers are its directors and the district team. A class gets a teachers'
group (edit the class and its news, submit them for validation) and a
collection of its own inside the school's. Memberships put people in these
groups; nothing else does.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, Q
from django.utils.translation import gettext as _

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.models import DISTRICT_TEAM_GROUP, Membership, ScopeGroup
from visibility.people import forget_person

STAFF_ROLES = [Membership.Role.DIRECTOR, Membership.Role.TEACHER]

DIRECTOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
TEACHER_PAGE_PERMISSIONS = ["add_page", "change_page"]
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
MEMBERSHIP_PERMISSIONS = [
    ("accounts", "add_membership"),
    ("accounts", "change_membership"),
    ("accounts", "delete_membership"),
    ("accounts", "view_membership"),
    ("pupils", "add_pupil"),
    ("pupils", "change_pupil"),
    ("pupils", "delete_pupil"),
    ("pupils", "view_pupil"),
]
TEAM_PAGE_PERMISSIONS = [*DIRECTOR_PAGE_PERMISSIONS, "bulk_delete_page"]
# Contributors propose resources and edit their own proposals and files only.
LIBRARY_PAGE_PERMISSIONS = ["add_page"]
LIBRARY_MEDIA_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
TEAM_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("news", "address_schools"),
    ("news", "edit_publishing_details"),
    ("resources", "add_subject"),
    ("resources", "change_subject"),
    ("resources", "delete_subject"),
    *MEMBERSHIP_PERMISSIONS,
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "view_user"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
    ("accounts", "add_externalidentity"),
    ("accounts", "change_externalidentity"),
    ("accounts", "delete_externalidentity"),
    ("accounts", "view_externalidentity"),
]


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(
    group,
    page,
    page_codenames,
    collection,
    model_permissions,
    media_permissions=MEDIA_PERMISSIONS,
):
    for codename in page_codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission("wagtailcore", codename)
        )
    for app_label, codename in media_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=permission(app_label, codename),
        )
    group.permissions.add(
        *(permission(app_label, codename) for app_label, codename in model_permissions)
    )


def district_team_group():
    """The district team's group: everything, everywhere (idempotent)."""
    team, _created = Group.objects.get_or_create(name=DISTRICT_TEAM_GROUP)
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root_page and root_collection:
        grant(
            team,
            root_page,
            TEAM_PAGE_PERMISSIONS,
            root_collection,
            TEAM_MODEL_PERMISSIONS,
        )
    return team


def is_provisioned_locale(page):
    """Translations share their source's groups: only the default locale's
    schools and classes are provisioned."""
    return page.locale_id == Locale.get_default().pk


def scope_group(page, role, name):
    name = name[:150]
    existing = ScopeGroup.objects.filter(page=page, role=role).first()
    if existing:
        if existing.group.name != name:
            existing.group.name = name
            existing.group.save(update_fields=["name"])
        return existing
    group = Group.objects.create(name=name)
    return ScopeGroup.objects.create(page=page, role=role, group=group)


def child_collection(parent, name, existing):
    if existing is not None:
        if existing.name != name:
            existing.name = name
            existing.save(update_fields=["name"])
        return existing
    return parent.add_child(name=name)


def provision_school(school):
    directors = scope_group(
        school,
        ScopeGroup.Role.DIRECTORS,
        _("Directors · %(school)s · no. %(id)s")
        % {"school": school.title, "id": school.pk},
    )
    directors.collection = child_collection(
        Collection.get_first_root_node(), school.title, directors.collection
    )
    directors.workflow = school_workflow(school, directors)
    directors.save(update_fields=["collection", "workflow"])
    grant(
        directors.group,
        school,
        DIRECTOR_PAGE_PERMISSIONS,
        directors.collection,
        [("wagtailadmin", "access_admin"), *MEMBERSHIP_PERMISSIONS],
    )
    return directors


def school_workflow(school, directors):
    name = (_("Validation · %(school)s") % {"school": school.title})[:255]
    workflow = directors.workflow
    if workflow is None:
        task = GroupApprovalTask.objects.create(
            name=(
                _("Validation by the directors of %(school)s")
                % {"school": school.title}
            )[:255]
        )
        task.groups.set([directors.group, district_team_group()])
        workflow = Workflow.objects.create(name=name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    elif workflow.name != name:
        workflow.name = name
        workflow.save(update_fields=["name"])
    WorkflowPage.objects.update_or_create(page=school, defaults={"workflow": workflow})
    return workflow


def provision_classroom(classroom):
    school = classroom.get_parent()
    directors = ScopeGroup.objects.filter(
        page=school, role=ScopeGroup.Role.DIRECTORS
    ).first() or provision_school(school.specific)
    teachers = scope_group(
        classroom,
        ScopeGroup.Role.TEACHERS,
        _("Teachers · %(school)s · %(class)s · no. %(id)s")
        % {"school": school.title, "class": classroom.title, "id": classroom.pk},
    )
    teachers.collection = child_collection(
        directors.collection, classroom.title, teachers.collection
    )
    teachers.save(update_fields=["collection"])
    grant(
        teachers.group,
        classroom,
        TEACHER_PAGE_PERMISSIONS,
        teachers.collection,
        [("wagtailadmin", "access_admin")],
    )
    return teachers


def provision_library(library):
    """The library: every teacher and director proposes resources in it, and
    the district team moderates them before they are published."""
    contributors = scope_group(
        library, ScopeGroup.Role.LIBRARY, _("Library contributors")
    )
    contributors.collection = child_collection(
        Collection.get_first_root_node(), library.title, contributors.collection
    )
    contributors.workflow = library_workflow(library, contributors)
    contributors.save(update_fields=["collection", "workflow"])
    grant(
        contributors.group,
        library,
        LIBRARY_PAGE_PERMISSIONS,
        contributors.collection,
        [("wagtailadmin", "access_admin")],
        media_permissions=LIBRARY_MEDIA_PERMISSIONS,
    )
    contributors.group.user_set.add(
        *get_user_model().objects.filter(memberships__role__in=STAFF_ROLES).distinct()
    )
    return contributors


def library_workflow(library, contributors):
    workflow = contributors.workflow
    if workflow is None:
        task = GroupApprovalTask.objects.create(
            name=_("Moderation by the district team")
        )
        task.groups.set([district_team_group()])
        workflow = Workflow.objects.create(name=_("Moderation of the library"))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=library, defaults={"workflow": workflow})
    return workflow


def move_classroom(classroom, school):
    members = Membership.objects.filter(classroom=classroom)
    for user_id in set(members.values_list("user_id", flat=True)):
        forget_person(user_id)
    members.update(school=school)
    teachers = provision_classroom(classroom)
    directors = ScopeGroup.objects.get(page=school, role=ScopeGroup.Role.DIRECTORS)
    if teachers.collection and teachers.collection.get_parent() != directors.collection:
        teachers.collection.move(directors.collection, pos="sorted-child")


def archive_classroom(classroom):
    """An unpublished class is archived: its teachers keep reading it through
    their membership but may no longer edit it. Publishing it again (a
    director's or the team's decision) gives their rights back."""
    GroupPagePermission.objects.filter(
        group__scope__page=classroom, group__scope__role=ScopeGroup.Role.TEACHERS
    ).delete()
    # Nor its photos and documents: they stay as the class published them.
    GroupCollectionPermission.objects.filter(
        group__scope__page=classroom, group__scope__role=ScopeGroup.Role.TEACHERS
    ).delete()


def retire(scope):
    """Clean up after a school or class that is gone: its group goes, its
    collection goes if empty and is archived otherwise, its workflow stops."""
    Group.objects.filter(pk=scope.group_id).delete()
    collection = scope.collection
    if collection is not None:
        if has_media(collection):
            collection.name = (_("Archive · %(name)s") % {"name": collection.name})[
                :255
            ]
            collection.save(update_fields=["name"])
        else:
            collection.delete()
    if scope.workflow is not None:
        scope.workflow.active = False
        scope.workflow.save(update_fields=["active"])


def has_media(collection):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    collections = collection.get_descendants(inclusive=True)
    return (
        get_image_model().objects.filter(collection__in=collections).exists()
        or get_document_model().objects.filter(collection__in=collections).exists()
    )


def sync_user_groups(user):
    """Put ``user`` in exactly the provisioned groups their memberships call for."""
    wanted = set(
        ScopeGroup.objects.filter(
            Q(
                role=ScopeGroup.Role.DIRECTORS,
                page__in=Membership.objects.filter(
                    user=user, role=Membership.Role.DIRECTOR
                ).values("school"),
            )
            | Q(
                role=ScopeGroup.Role.TEACHERS,
                page__in=Membership.objects.filter(
                    user=user, role=Membership.Role.TEACHER
                ).values("classroom"),
            )
            | Q(
                Exists(Membership.objects.filter(user=user, role__in=STAFF_ROLES)),
                role=ScopeGroup.Role.LIBRARY,
            )
        ).values_list("group_id", flat=True)
    )
    current = set(user.groups.filter(scope__isnull=False).values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
