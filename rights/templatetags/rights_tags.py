from django import template

from rights.models import ErasureRequest

register = template.Library()


@register.simple_tag
def pending_erasure(user):
    """The person's erasure request awaiting the team's decision, if any."""
    return ErasureRequest.objects.filter(
        user=user, status=ErasureRequest.Status.REQUESTED
    ).first()
