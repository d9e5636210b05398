"""What the attendance tools of a session page and « Mon compte » show."""

from django import template

from training.access import is_staff_member, manages_training
from training.attendance import attended_dates

register = template.Library()


@register.simple_tag
def attendance_links(user, session):
    """{"team": may mark attendance, "attended": may get an attestation}."""
    if not user.is_authenticated:
        return {"team": False, "attended": False}
    return {
        "team": manages_training(user),
        "attended": attended_dates(session, user).exists(),
    }


@register.filter
def owes_training_hours(user):
    """Whether ``user`` is a teacher or director (« Mes heures »)."""
    return user.is_authenticated and is_staff_member(user)
