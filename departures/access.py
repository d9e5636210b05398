"""A pupil leaving the district: their families' access to that class and
school ends at once."""

import datetime

from django.db import transaction

from accounts.models import Membership
from audit.log import because, record
from pupils.models import Pupil


def present(pupils):
    """The pupils still in the district."""
    return pupils.filter(left_on__isnull=True)


def pupil_left(pupil, *, by=None, on=None, reason=""):
    """Record that ``pupil`` left the district on ``on`` (today by default),
    in ``by``'s name, and end their families' access to the class and school
    they leave, unless another child of theirs is still there. Doing it twice
    changes nothing."""
    if pupil.left_on is not None:
        return False
    with transaction.atomic(), because(reason, by):
        pupil.left_on = on or datetime.date.today()
        pupil.save(update_fields=["left_on"])
        record(pupil, "ent.pupil.left", user=by)
        for family in pupil.families.all():
            end_family_access(family, pupil.classroom.get_parent().pk)
    return True


def end_family_access(user, school_id, leaving=None):
    """Remove ``user``'s family memberships in the school ``school_id`` that
    none of their children still present there (but ``leaving``, a pupil
    about to be deleted) calls for."""
    children = present(Pupil.objects.filter(families=user))
    if leaving is not None:
        children = children.exclude(pk=leaving.pk)
    still_there = children.values_list("classroom_id", flat=True)
    for membership in Membership.objects.filter(
        user=user, role=Membership.Role.FAMILY, school_id=school_id
    ).exclude(classroom_id__in=still_there):
        membership.delete()
