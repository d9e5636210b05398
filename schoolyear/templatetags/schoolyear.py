from django import template

from schools.models import current_school_year
from schoolyear.consents import consent_tasks

register = template.Library()


@register.inclusion_tag("schoolyear/includes/consent_tasks_list.html")
def consent_tasks_for(user):
    """« À faire » on « Mon compte »: the children with no decision yet."""
    return {"pupils": list(consent_tasks(user)), "year": current_school_year()}
