"""The school holidays of zone B (Orléans-Tours), worked out for any school
year from the pattern of the national calendar, so that the demo's repeating
events skip plausible holidays whatever day it is seeded.

The ministry publishes the real dates three years ahead; they follow a
steady pattern, which this reproduces: two weeks from the Saturday after
17 October, two weeks from the Saturday after 17 December, zone B's winter
and spring fortnights from mid-February and mid-April, the summer from the
first Saturday of July, and the bank holidays (with the Ascension bridge).
For 2026-2027 it gives Toussaint 17 Oct – 1 Nov, Noël 19 Dec – 3 Jan, hiver
13 – 28 Feb, printemps 10 – 25 Apr, été from 3 July. A real district enters
the published dates in the admin instead."""

import datetime

from dateutil.easter import easter


def saturday_from(day):
    """The first Saturday on or after ``day``."""
    return day + datetime.timedelta(days=(5 - day.weekday()) % 7)


def fortnight(name, first_possible):
    first = saturday_from(first_possible)
    return name, first, first + datetime.timedelta(days=15)


def zone_b_holidays(first_year):
    """(name, first day, last day) of the school year ``first_year``-
    ``first_year + 1``: the days without school, weekends around them
    included."""
    year = first_year + 1
    pentecost = easter(year) + datetime.timedelta(days=49)
    ascension = easter(year) + datetime.timedelta(days=39)
    days = [
        fortnight("Vacances de la Toussaint", datetime.date(first_year, 10, 17)),
        ("Armistice", datetime.date(first_year, 11, 11), None),
        fortnight("Vacances de Noël", datetime.date(first_year, 12, 17)),
        fortnight("Vacances d'hiver", datetime.date(year, 2, 11)),
        fortnight("Vacances de printemps", datetime.date(year, 4, 8)),
        ("Fête du Travail", datetime.date(year, 5, 1), None),
        ("Victoire 1945", datetime.date(year, 5, 8), None),
        ("Pont de l'Ascension", ascension, ascension + datetime.timedelta(days=3)),
        ("Lundi de Pentecôte", pentecost + datetime.timedelta(days=1), None),
        (
            "Vacances d'été",
            saturday_from(datetime.date(year, 7, 3)),
            datetime.date(year, 8, 31),
        ),
    ]
    return [(name, first, last or first) for name, first, last in days]
