"""The agenda on other pages: the upcoming events of a school, a class or
the whole site (``{% upcoming_events %}``), and a person's feed address
(``{% calendar_feed %}``) for « Mon compte »."""

from django import template
from django.urls import reverse

from agenda.listing import upcoming
from agenda.models import AgendaIndexPage, CalendarFeed
from visibility.cache import remember

register = template.Library()

# How far ahead a school or class page looks.
SECTION_DAYS = 92


def agenda_url():
    """The address of the agenda's page (kept with the site's structure)."""
    agenda = AgendaIndexPage.objects.live().first()
    return agenda.url if agenda else None


@register.inclusion_tag("agenda/includes/upcoming.html", takes_context=True)
def upcoming_events(context, heading, within=None, limit=None, heading_id="agenda"):
    """A section ``heading`` with the occurrences the reader may see under
    ``within`` (a school or a class; the whole site if None): at most
    ``limit``, or those of the next three months."""
    request = context["request"]
    days = None if limit else SECTION_DAYS
    return {
        "request": request,
        "occurrences": upcoming(request.user, within=within, days=days, limit=limit),
        "agenda_url": remember("agenda-url", agenda_url),
        "heading": heading,
        "heading_id": heading_id,
    }


@register.simple_tag(takes_context=True)
def calendar_feed(context):
    """The address of the signed-in reader's own feed, and a webcal link."""
    request = context["request"]
    feed = CalendarFeed.of(request.user)
    address = request.build_absolute_uri(
        reverse("agenda:personal_feed", args=[feed.token])
    )
    return {
        "address": address,
        "webcal": "webcal://" + address.split("://", 1)[1],
    }
