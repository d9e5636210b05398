"""The iCal feeds (RFC 5545): the public one, with the events everyone may
see, and each person's own, with every event they may see and the dates of
the training sessions they are registered for. Read at each request, so a
person who loses access to a class stops seeing its events at once."""

import datetime
import html
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, vRecur

from agenda.listing import holidays_for, visible_events
from visibility.audience import visible_pages

# How far back a feed reaches: calendars keep what they have read.
PAST_DAYS = 90


def zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//ENT de circonscription//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def local(moment):
    return moment.astimezone(zone())


def event_component(event, request, holidays):
    """The VEVENT of an event page: a date or times in Europe/Paris, its
    repetition and the dates it skips."""
    component = Event()
    component.add("uid", f"event-{event.translation_key}@{request.get_host()}")
    component.add("dtstamp", timezone.now())
    component.add("summary", event.title)
    component.add("url", event.get_full_url(request))
    if event.place:
        component.add("location", event.place)
    if event.description:
        component.add("description", html.unescape(strip_tags(event.description)))
    start = local(event.start)
    if event.all_day:
        last = local(event.end).date() if event.end else start.date()
        component.add("dtstart", start.date())
        component.add("dtend", last + datetime.timedelta(days=1))
    else:
        component.add("dtstart", start)
        component.add("dtend", local(event.end) if event.end else start)
    if event.repeat:
        component.add("rrule", vRecur.from_ical(event.rrule_text()))
        skipped = event.skipped_starts(holidays)
        if skipped:
            component.add(
                "exdate",
                [moment.date() for moment in skipped]
                if event.all_day
                else [local(moment) for moment in skipped],
            )
    return component


def events_calendar(calendar, events, request):
    """Add ``events`` (a list of event pages) to ``calendar``, the holidays
    read once."""
    first_day = min((local(event.start).date() for event in events), default=None)
    holidays = holidays_for(events, first_day) if first_day else []
    for event in events:
        calendar.add_component(event_component(event, request, holidays))


def feed_events(user):
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    return list(
        visible_events(user).filter(last_day__gte=since).order_by("start", "pk")
    )


def public_calendar(request):
    calendar = new_calendar(_("District agenda"))
    events_calendar(calendar, feed_events(AnonymousUser()), request)
    calendar.add_missing_timezones()
    return calendar


def personal_calendar(user, request):
    """Every event ``user`` may see, and the dates of the sessions they are
    registered for and may still see."""
    from training.models import Registration, SessionDate, TrainingSessionPage

    calendar = new_calendar(_("My ENT agenda"))
    events_calendar(calendar, feed_events(user), request)
    since = timezone.now() - datetime.timedelta(days=PAST_DAYS)
    dates = (
        SessionDate.objects.filter(
            session__in=visible_pages(TrainingSessionPage.objects.live(), user),
            session__registrations__user=user,
            session__registrations__status=Registration.Status.REGISTERED,
            end__gte=since,
        )
        .select_related("session")
        .order_by("start")
    )
    for date in dates:
        component = Event()
        component.add("uid", f"training-date-{date.pk}@{request.get_host()}")
        component.add("dtstamp", timezone.now())
        component.add(
            "summary", _("Training: %(title)s") % {"title": date.session.title}
        )
        component.add("dtstart", local(date.start))
        component.add("dtend", local(date.end))
        component.add("url", date.session.get_full_url(request))
        if date.place:
            component.add("location", date.place)
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar
