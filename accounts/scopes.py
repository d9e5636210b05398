"""What a person manages: the district team everything, a director their
school. One place for every admin view and form that needs it."""

from accounts.models import Membership
from visibility.audience import access_for, is_district_team


def place_model(field):
    """The page model a membership points to (``school`` or ``classroom``):
    the schools app sits above the people, who name its pages by relation."""
    return Membership._meta.get_field(field).related_model


def manages_a_school(user):
    """Whether ``user`` is of the district team or directs a school (read
    from the request's cached access: no query on every admin page)."""
    if not user.is_authenticated:
        return False
    access = access_for(user)
    return access.team or bool(access.directed_schools)


def schools_directed_by(user):
    return place_model("school").objects.filter(
        pk__in=Membership.objects.filter(
            user=user, role=Membership.Role.DIRECTOR
        ).values("school")
    )


def classrooms_managed_by(user):
    """All classes for the district team; their school's for a director."""
    classroom_model = place_model("classroom")
    classrooms = classroom_model.objects.order_by("path")
    if is_district_team(user):
        return classrooms
    managed = classroom_model.objects.none()
    for school in schools_directed_by(user):
        managed |= classrooms.child_of(school)
    return managed


def open_classrooms_managed_by(user):
    """The classes ``user`` manages that are not archived (last year's,
    ``schoolyear``): the ones offered in the pickers of members and pupils."""
    return classrooms_managed_by(user).filter(archived_on__isnull=True)


def manageable_memberships(user):
    memberships = Membership.objects.select_related("user", "school", "classroom")
    if is_district_team(user):
        return memberships
    return memberships.filter(school__in=schools_directed_by(user))


def people_known_to(user):
    """The accounts a person may find by name or part of an address: the
    members of the schools they direct (every account for the district team).
    Any other account is found only by its exact e-mail address, as someone
    who was given it would (``accounts.forms.find_person``)."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(is_active=True)
    if is_district_team(user):
        return people
    return people.filter(
        pk__in=Membership.objects.filter(school__in=schools_directed_by(user)).values(
            "user"
        )
    )
