"""Durations in French words, as the privacy page states them: « 15 minutes »,
« 1 jour », « 2 semaines », « 3 mois », « 1 an »."""

import datetime

from django.utils.translation import ngettext

DAY = 24 * 3600

# The largest unit that divides the duration exactly wins: 90 days are
# « 3 mois », 365 « 1 an », 14 « 2 semaines », 15 « 15 jours ». A month is
# counted as 30 days and a year as 365, as retention periods are written.
UNITS = [
    (365 * DAY, lambda n: ngettext("%(count)s year", "%(count)s years", n)),
    (30 * DAY, lambda n: ngettext("%(count)s month", "%(count)s months", n)),
    (7 * DAY, lambda n: ngettext("%(count)s week", "%(count)s weeks", n)),
    (DAY, lambda n: ngettext("%(count)s day", "%(count)s days", n)),
    (3600, lambda n: ngettext("%(count)s hour", "%(count)s hours", n)),
    (60, lambda n: ngettext("%(count)s minute", "%(count)s minutes", n)),
    (1, lambda n: ngettext("%(count)s second", "%(count)s seconds", n)),
]


def in_words(value):
    """``value`` (a ``timedelta``, or a number of seconds) in words, in the
    active language."""
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds()
    seconds = max(int(value), 0)
    for size, words in UNITS:
        if seconds and seconds % size == 0:
            count = seconds // size
            return words(count) % {"count": count}
    return UNITS[-2][1](0) % {"count": 0}


def days(count):
    """``count`` days in words (a retention setting such as ENT_ARCHIVE_DAYS)."""
    return in_words(datetime.timedelta(days=count))
