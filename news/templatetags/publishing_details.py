from django import template

from news.models import PUBLISHING_DETAILS

register = template.Library()


@register.filter
def sees_publishing_details(user):
    """Whether ``user`` sees the address, search, menu and schedule fields,
    Wagtail's privacy controls and the locale: the district team."""
    return user.has_perm(PUBLISHING_DETAILS)
