"""Dates as French readers write them: « 1er décembre 2026 », « 19 h 44 »,
« mardi 1er décembre 2026 à 19 h 44 ». Used wherever the public site and
e-mails show a date (``{% load french_dates %}``)."""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

register = template.Library()


def local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def french_date(value, weekday=False):
    """« 1er décembre 2026 »; with ``weekday``, « mardi 1er décembre 2026 »."""
    if not isinstance(value, datetime.date):
        return ""
    value = local(value)
    day = _("1st") if value.day == 1 else str(value.day)
    text = f"{day} {dateformat.format(value, 'F')} {value.year}"
    if weekday:
        text = f"{dateformat.format(value, 'l')} {text}"
    return text


@register.filter
def french_time(value):
    """« 19 h 44 », « 9 h 05 »."""
    if not isinstance(value, (datetime.datetime, datetime.time)):
        return ""
    value = local(value)
    return f"{value.hour} h {value.minute:02d}"


@register.filter
def french_datetime(value):
    """« 1er décembre 2026 à 19 h 44 »."""
    if not isinstance(value, datetime.datetime):
        return ""
    return _("%(date)s at %(time)s") % {
        "date": french_date(value),
        "time": french_time(value),
    }
