"""Who a published news item is addressed to: the members its audience
admits in its scope (DESIGN §4), computed once at publication and kept."""

from django.db.models import Q

from accounts.models import Membership
from inbox.models import Recipient
from visibility.audience import Audience, can_view
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
    if row.classroom_key:
        scope = Q(classroom__translation_key=row.classroom_key) | Q(
            role=Membership.Role.DIRECTOR, school__translation_key=row.school_key
        )
    elif row.school_key:
        scope = Q(school__translation_key=row.school_key)
    else:
        targets = PageTarget.objects.filter(page_id=page.pk).values("school_key")
        scope = Q(school__translation_key__in=targets) if targets.exists() else Q()
    roles = ROLES[Audience(row.audience)]
    addressed_to = getattr(page.specific, "addressed_to", "")
    if addressed_to:
        roles = [role for role in roles if role == addressed_to]
    return Membership.objects.filter(scope, role__in=roles)


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
