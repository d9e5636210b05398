"""The agenda's feeds and the reset of a personal feed's address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from agenda.feeds import personal_calendar, public_calendar
from agenda.models import CalendarFeed

CONTENT_TYPE = "text/calendar; charset=utf-8"


def public_feed(request):
    """The public events of the district, its schools and classes."""
    response = HttpResponse(public_calendar(request).to_ical(), CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@never_cache
def personal_feed(request, token):
    """What the owner of ``token`` may see now, read at each request."""
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(
        personal_calendar(feed.user, request).to_ical(), CONTENT_TYPE
    )
    response["Content-Disposition"] = 'inline; filename="mon-agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def reset_feed(request):
    """A new address for the personal feed: the old one answers 404 at once
    (a GET, after logging in again: « Mon compte », where the button is)."""
    if request.method != "POST":
        return redirect("my_account")
    CalendarFeed.of(request.user).reset()
    messages.success(
        request,
        _("Your calendar has a new address: the old one no longer works."),
    )
    return redirect("my_account")
