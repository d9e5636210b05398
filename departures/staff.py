"""A member of staff leaving: the team records it, their memberships end at
once (their groups follow, ``accounts.provisioning.sync_user_groups``), and
what they own in Wagtail goes to someone who stays. The account itself is
deleted later by ``apply_departures``, once nothing is theirs any more."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from accounts.models import Membership
from audit.log import because, record
from departures.models import Departure
from visibility.audience import DISTRICT_TEAM_GROUP

STAFF_ROLES = [Membership.Role.DIRECTOR, Membership.Role.TEACHER]


def staff_accounts():
    """The accounts whose departure the team may record: those teaching or
    directing somewhere (the team's own accounts are not handled here)."""
    return (
        get_user_model()
        .objects.filter(memberships__role__in=STAFF_ROLES)
        .exclude(groups__name=DISTRICT_TEAM_GROUP)
        .exclude(is_superuser=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def default_successor(user):
    """Who receives ``user``'s pages unless the team chooses: the director of
    the (first) school where they work, if that is someone else."""
    schools = Membership.objects.filter(user=user, role__in=STAFF_ROLES).values(
        "school"
    )
    director = (
        Membership.objects.filter(role=Membership.Role.DIRECTOR, school__in=schools)
        .exclude(user=user)
        .select_related("user")
        .order_by("school__path", "pk")
        .first()
    )
    return director.user if director else None


def owned_by(user):
    """What ``user`` still holds in Wagtail: pages they own or lock, images
    and documents they uploaded."""
    return {
        "pages": Page.objects.filter(owner=user),
        "locks": Page.objects.filter(locked_by=user),
        "images": get_image_model().objects.filter(uploaded_by_user=user),
        "documents": get_document_model().objects.filter(uploaded_by_user=user),
    }


def still_owns_something(user):
    return any(queryset.exists() for queryset in owned_by(user).values())


def hand_over(user, successor):
    """Give ``user``'s pages, images and documents to ``successor`` and
    release the pages they lock. Returns the number of pages handed over."""
    held = owned_by(user)
    pages = held["pages"].update(owner=successor)
    held["locks"].update(locked=False, locked_by=None, locked_at=None)
    held["images"].update(uploaded_by_user=successor)
    held["documents"].update(uploaded_by_user=successor)
    return pages


def staff_left(user, *, successor, by=None, on=None, reason=""):
    """Record that ``user`` left their school(s) on ``on`` (today by
    default): their staff memberships end, their pages go to ``successor``,
    and their account is scheduled for deletion. Recording it again only
    hands over what they might hold since."""
    on = on or datetime.date.today()
    with transaction.atomic(), because(reason, by):
        departure, created = Departure.objects.get_or_create(
            user=user,
            defaults={"kind": Departure.Kind.STAFF, "left_on": on},
        )
        if not created and departure.kind != Departure.Kind.STAFF:
            departure.kind, departure.left_on = Departure.Kind.STAFF, on
        for membership in Membership.objects.filter(user=user, role__in=STAFF_ROLES):
            membership.delete()
        pages = hand_over(user, successor)
        departure.handed_over_to = successor
        departure.pages_handed_over += pages
        departure.save()
        if created or pages:
            record(
                user,
                "ent.account.departure",
                user=by,
                left_on=on.isoformat(),
                handed_over_to=successor.pk,
                pages=pages,
            )
    return departure
