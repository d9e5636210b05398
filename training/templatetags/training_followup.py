"""What the session page's follow-up part shows to its reader."""

from django import template

from resources.models import ResourceIndexPage
from training import followup
from training.access import manages_training

register = template.Library()


@register.simple_tag
def followup_of(session, user):
    """The shared resources ``user`` may read if they take part (or manage
    the session), and what the team may do next."""
    team = manages_training(user)
    registered = followup.is_registered(session, user)
    state = {"team": team, "resources": [], "feedback_asked": False}
    if team or registered:
        state["resources"] = followup.shared_resources_for(session, user)
    if user.is_authenticated and not team:
        state["feedback_asked"] = followup.may_give_feedback(
            session, user
        ) and not followup.has_given_feedback(session, user)
    if team:
        state["last_sending"] = followup.last_sending(session)
        state["unsent"] = followup.unsent_resources(session).count()
        state["library"] = ResourceIndexPage.objects.live().first()
    return state
