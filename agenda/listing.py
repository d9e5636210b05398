"""Upcoming events as their reader sees them: each repetition of an event is
an *occurrence*, listed in date order, for the events the reader may see
(``visibility.audience.visible_pages``). One query reads the events, one
more the school holidays when some of them repeat in term time only."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from wagtail.models import Page

from agenda.models import EventPage, SchoolHoliday
from visibility.audience import visible_pages


@dataclass(frozen=True)
class Occurrence:
    """One date of an event: its start and end (local time; the end is
    ``None`` for a short event)."""

    event: EventPage
    start: datetime.datetime
    end: datetime.datetime | None

    @property
    def month(self):
        """The first day of its month, to group a listing by month."""
        return self.start.date().replace(day=1)

    @property
    def last_date(self):
        return (self.end or self.start).date()

    @property
    def several_days(self):
        return self.last_date != self.start.date()


def visible_events(user, within=None):
    """The live events ``user`` may see, under ``within`` (a page, whose
    descendants are read, or a queryset of pages) if given."""
    events = visible_pages(EventPage.objects.live(), user)
    if isinstance(within, Page):
        events = events.descendant_of(within)
    elif within is not None:
        events = events.filter(pk__in=within.values("pk"))
    return events


def holidays_for(events, first_day):
    """The school holidays from ``first_day`` that the repetitions of
    ``events`` (a list) may skip, read in one query (none if no event repeats
    in term time only)."""
    repeating = [event for event in events if event.repeat and event.term_time_only]
    if not repeating:
        return []
    return list(
        SchoolHoliday.covering(first_day, max(event.last_day for event in repeating))
    )


def occurrences(events, start, until=None):
    """The occurrences of ``events`` (a list) that end at or after ``start``
    and begin before ``until``, in date order. The holidays are read once."""
    holidays = holidays_for(events, timezone.localtime(start).date())
    found = []
    for event in events:
        duration = event.duration
        for moment in event.starts(holidays):
            if until is not None and moment >= until:
                break
            end = moment + duration if event.end else None
            if event.all_day:
                still_on = (end or moment).date() >= timezone.localtime(start).date()
            else:
                still_on = (end or moment) >= start
            if still_on:
                found.append(Occurrence(event, moment, end))
    found.sort(key=lambda occurrence: (occurrence.start, occurrence.event.title))
    return found


def upcoming(user, within=None, start=None, days=None, limit=None):
    """The occurrences ``user`` may see from ``start`` (now by default) for
    ``days`` days (all of them if None), at most ``limit`` of them. Past
    events are left out in SQL (``EventPage.last_day``)."""
    start = start or timezone.now()
    until = start + datetime.timedelta(days=days) if days is not None else None
    events = visible_events(user, within).filter(
        last_day__gte=timezone.localtime(start).date()
    )
    if until is not None:
        events = events.filter(start__lt=until)
    found = occurrences(list(events.order_by("start")), start, until)
    return found[:limit] if limit is not None else found
