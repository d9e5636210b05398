from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name():
    """The site's name (``WAGTAIL_SITE_NAME``), which ends the admin's tab
    titles in place of « Wagtail »."""
    return settings.WAGTAIL_SITE_NAME
