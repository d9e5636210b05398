"""What a person manages: the district team everything, a director their
school. One place for every admin view and form that needs it."""

from accounts.models import Membership
from schools.models import ClassroomPage, SchoolPage
from visibility.audience import is_district_team


def schools_directed_by(user):
    return SchoolPage.objects.filter(
        pk__in=Membership.objects.filter(
            user=user, role=Membership.Role.DIRECTOR
        ).values("school")
    )


def classrooms_managed_by(user):
    """All classes for the district team; their school's for a director."""
    classrooms = ClassroomPage.objects.order_by("path")
    if is_district_team(user):
        return classrooms
    managed = ClassroomPage.objects.none()
    for school in schools_directed_by(user):
        managed |= classrooms.child_of(school)
    return managed


def manageable_memberships(user):
    memberships = Membership.objects.select_related("user", "school", "classroom")
    if is_district_team(user):
        return memberships
    return memberships.filter(school__in=schools_directed_by(user))
