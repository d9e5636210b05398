"""Who a published news item is addressed to: the members its audience
admits in its scope (DESIGN §4), computed once at publication and kept."""

from django.db.models import Q

from accounts.models import Membership
from inbox.models import Recipient
from visibility.audience import Audience, can_view, most_restrictive
from visibility.models import PageAudience, PageTarget

ROLES = {
    Audience.PUBLIC: [
        Membership.Role.DIRECTOR,
        Membership.Role.TEACHER,
        Membership.Role.FAMILY,
    ],
    Audience.COMMUNITY: [
        Membership.Role.DIRECTOR,
        Membership.Role.TEACHER,
        Membership.Role.FAMILY,
    ],
    Audience.STAFF: [Membership.Role.DIRECTOR, Membership.Role.TEACHER],
    Audience.DIRECTORS: [Membership.Role.DIRECTOR],
}


def addressed_memberships(page):
    """The memberships of the people ``page`` is addressed to."""
    row = PageAudience.objects.filter(page_id=page.pk).first()
    if row is None:
        return Membership.objects.none()
    targets = []
    if not row.school_key:
        targets = PageTarget.objects.filter(page_id=page.pk).values_list(
            "school_key", flat=True
        )
    return memberships_addressed(
        Audience(row.audience),
        row.school_key,
        row.classroom_key,
        targets,
        getattr(page.specific, "addressed_to", ""),
    )


def scope_of(school_key, classroom_key, targets):
    """The memberships a page's scope covers: its class (and its school's
    directors), its school, or the district (reserved to ``targets``)."""
    if classroom_key:
        return Q(classroom__translation_key=classroom_key) | Q(
            role=Membership.Role.DIRECTOR, school__translation_key=school_key
        )
    if school_key:
        return Q(school__translation_key=school_key)
    targets = list(targets)
    return Q(school__translation_key__in=targets) if targets else Q()


def roles_addressed(audience, addressed_to):
    roles = ROLES[Audience(audience)]
    if addressed_to:
        roles = [role for role in roles if role == addressed_to]
    return roles


def memberships_addressed(audience, school_key, classroom_key, targets, addressed_to):
    """The memberships a page of ``audience`` reaches in its scope, for one
    role if ``addressed_to`` names one."""
    return Membership.objects.filter(
        scope_of(school_key, classroom_key, targets),
        role__in=roles_addressed(audience, addressed_to),
    )


def reach(place, addressed_to="", target_schools=()):
    """How many people a news item published under ``place`` would be
    addressed to, for each audience, by the rule of
    ``addressed_memberships``: ``{audience: {"families": n, "staff": n}}``,
    each person counted once (as staff if they are both). Two queries."""
    row = PageAudience.objects.filter(page_id=place.pk).first()
    if row is None:
        return {}
    targets = [school.translation_key for school in target_schools]
    people = list(
        Membership.objects.filter(
            scope_of(row.school_key, row.classroom_key, targets)
        ).values_list("user_id", "role")
    )
    counts = {}
    for audience in Audience.values:
        effective = most_restrictive(Audience(audience), Audience(row.audience))
        roles = roles_addressed(effective, addressed_to)
        staff = {
            user
            for user, role in people
            if role in roles and role != Membership.Role.FAMILY
        }
        families = {
            user
            for user, role in people
            if role in roles and role == Membership.Role.FAMILY
        }
        counts[audience] = {"families": len(families - staff), "staff": len(staff)}
    return counts


def address(page):
    """Record the recipients of ``page`` (once each; those recorded at an
    earlier publication stay). Returns how many were added. Its author, and
    the directors of the school a school or class news item comes from,
    receive it without being asked to acknowledge it."""
    memberships = (
        addressed_memberships(page)
        .select_related("school", "classroom", "user")
        .order_by("user_id", "role", "pk")
    )
    restricted = page.get_view_restrictions().exists()
    school_news = PageAudience.objects.filter(
        page_id=page.pk, school_key__isnull=False
    ).exists()
    rows = {}
    for membership in memberships:
        if membership.user_id in rows:
            continue
        if restricted and not can_view(membership.user, page):
            continue
        rows[membership.user_id] = Recipient(
            page_id=page.pk,
            user_id=membership.user_id,
            role=membership.role,
            school_title=membership.school.title,
            classroom_title=membership.classroom.title if membership.classroom else "",
            asked_to_acknowledge=not (
                membership.user_id == page.owner_id
                or (school_news and membership.role == Membership.Role.DIRECTOR)
            ),
        )
    before = Recipient.objects.filter(page_id=page.pk).count()
    Recipient.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=2000)
    return Recipient.objects.filter(page_id=page.pk).count() - before
