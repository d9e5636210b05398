"""The agenda (DESIGN §9): events of the district, of a school and of a class,
each with an audience read as for news, on every channel (pages, listings,
the home page's « À venir », the personal and public iCal feeds)."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from dateutil import rrule

from pages.forms import AudiencePageForm
from pages.mixins import SitePageMixin
from pages.templatetags.french_dates import french_date
from visibility.audience import AudienceMixin, audience_field


class SchoolHoliday(models.Model):
    """A period without school (the district's zone of *vacances scolaires*,
    bank holidays): recurring events « en période scolaire » skip it."""

    name = models.CharField(_("name"), max_length=80)
    first_day = models.DateField(_("first day without school"))
    last_day = models.DateField(_("last day without school"))

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")

    def __str__(self):
        return self.name

    def clean(self):
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError(
                {"last_day": _("The last day comes after the first day.")}
            )

    @classmethod
    def covering(cls, first, last):
        """The holidays that touch the days from ``first`` to ``last``."""
        return cls.objects.filter(first_day__lte=last, last_day__gte=first)


class AgendaIndexPage(SitePageMixin, Page):
    """The district's agenda: its own events, and every event of the schools
    and classes that the reader may see."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["agenda.EventPage"]
    max_count_per_parent = 1
    page_description = _("The district's agenda: events of the district and schools.")

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def get_context(self, request, *args, **kwargs):
        from agenda.listing import upcoming

        context = super().get_context(request, *args, **kwargs)
        context["occurrences"] = upcoming(request.user, days=INDEX_DAYS)
        return context


# How far ahead the agenda's page looks.
INDEX_DAYS = 366


class Repeat(models.TextChoices):
    NEVER = "", _("Does not repeat")
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month, on the same day")


WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
WEEKDAYS_PLURAL = [
    _("Mondays"),
    _("Tuesdays"),
    _("Wednesdays"),
    _("Thursdays"),
    _("Fridays"),
    _("Saturdays"),
    _("Sundays"),
]

# RFC 5545 frequency and interval of each choice.
RRULE_OF = {
    Repeat.WEEKLY: (rrule.WEEKLY, 1),
    Repeat.FORTNIGHTLY: (rrule.WEEKLY, 2),
    Repeat.MONTHLY: (rrule.MONTHLY, 1),
}


class EventPage(SitePageMixin, AudienceMixin, Page):
    """An event of the district, a school or a class: a start, an end or the
    whole day, a place, a description, and an audience as for news. It may
    repeat (an RFC 5545 rule), skipping school holidays if asked."""

    audience = audience_field()
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Leave empty for a short event.")
    )
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("Only the dates count: the times are not shown."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = RichTextField(
        _("description"), features=["bold", "italic", "link", "ul"], blank=True
    )
    repeat = models.CharField(
        _("repeats"), max_length=12, choices=Repeat.choices, blank=True, default=""
    )
    repeat_until = models.DateField(
        _("repeats until"),
        null=True,
        blank=True,
        help_text=_("The last day it may take place. Required when it repeats."),
    )
    term_time_only = models.BooleanField(
        _("in term time only"),
        default=True,
        help_text=_("A repeating event skips the school holidays."),
    )
    # The last day the event (or its last repetition) takes place, kept on
    # save: listings read upcoming events with one indexed filter.
    last_day = models.DateField(editable=False, db_index=True, null=True)

    base_form_class = AudiencePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("all_day"),
                FieldPanel("place"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("repeat"),
                FieldPanel("repeat_until"),
                FieldPanel("term_time_only"),
            ],
            heading=_("Repetition"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("place"),
        index.SearchField("description"),
        index.FilterField("start"),
    ]

    parent_page_types = [
        "agenda.AgendaIndexPage",
        "schools.SchoolPage",
        "schools.ClassroomPage",
    ]
    subpage_types = []
    page_description = _(
        "An event of the district, a school or a class: an outing, a meeting, "
        "a parents' evening."
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def get_context(self, request, *args, **kwargs):
        from agenda.listing import Occurrence, occurrences

        context = super().get_context(request, *args, **kwargs)
        found = occurrences([self], timezone.now())
        context["next_occurrences"] = found[:5]
        if not found:
            # Past, or (saved before this was refused) every date skipped.
            found = occurrences([self], self.start) or [
                Occurrence(self, timezone.localtime(self.start), self.end)
            ]
        context["first"] = found[0]
        return context

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end comes after the start.")})
        if self.repeat and not self.repeat_until:
            raise ValidationError(
                {"repeat_until": _("Say until when the event repeats.")}
            )
        if self.repeat_until and self.start and self.repeat_until < self.start.date():
            raise ValidationError(
                {"repeat_until": _("The repetition ends after the first date.")}
            )
        if self.repeat and self.repeat_until and self.start and not self.starts():
            raise ValidationError(
                {
                    "term_time_only": _(
                        "Every date of this event falls in the school holidays."
                    )
                }
            )

    def save(self, *args, **kwargs):
        self.last_day = self.compute_last_day()
        return super().save(*args, **kwargs)

    def compute_last_day(self):
        if self.start is None:
            return None
        if self.repeat and self.repeat_until:
            return self.repeat_until
        end = self.end or self.start
        return timezone.localtime(end).date() if timezone.is_aware(end) else end.date()

    @property
    def duration(self):
        return (self.end - self.start) if self.end else datetime.timedelta(0)

    def rrule_text(self):
        """The RFC 5545 ``RRULE`` of a repeating event (None otherwise). Its
        ``UNTIL`` is a date for an all-day event, else the end of the last day
        in UTC, as RFC 5545 asks when ``DTSTART`` names a time zone."""
        if not self.repeat:
            return None
        frequency, interval = RRULE_OF[Repeat(self.repeat)]
        parts = [f"FREQ={rrule.FREQNAMES[frequency]}"]
        if interval > 1:
            parts.append(f"INTERVAL={interval}")
        if self.all_day:
            until = self.repeat_until.strftime("%Y%m%d")
        else:
            last = timezone.make_aware(
                datetime.datetime.combine(self.repeat_until, datetime.time.max),
                timezone.get_default_timezone(),
            ).replace(microsecond=0)
            until = last.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"UNTIL={until}")
        return ";".join(parts)

    def repeat_description(self):
        """« Tous les mardis, hors vacances scolaires, jusqu'au 30 juin 2027 »."""
        if not self.repeat:
            return ""
        start = timezone.localtime(self.start)
        if self.repeat == Repeat.MONTHLY:
            text = _("Every month on the %(day)s") % {"day": start.day}
        elif self.repeat == Repeat.FORTNIGHTLY:
            text = _("Every other %(weekday)s") % {"weekday": WEEKDAYS[start.weekday()]}
        else:
            text = _("Every %(weekdays)s") % {
                "weekdays": WEEKDAYS_PLURAL[start.weekday()]
            }
        if self.term_time_only:
            text = _("%(rule)s, except school holidays") % {"rule": text}
        return _("%(rule)s, until %(date)s") % {
            "rule": text,
            "date": french_date(self.repeat_until),
        }

    def starts(self, holidays=None):
        """Every start of the event (local time), holidays skipped when it
        repeats in term time only. ``holidays``: the ``SchoolHoliday`` rows to
        skip, read once for a listing."""
        start = timezone.localtime(self.start)
        if not self.repeat:
            return [start]
        frequency, interval = RRULE_OF[Repeat(self.repeat)]
        naive = rrule.rrule(
            frequency,
            interval=interval,
            dtstart=start.replace(tzinfo=None),
            until=datetime.datetime.combine(self.repeat_until, datetime.time.max),
        )
        if self.term_time_only:
            if holidays is None:
                holidays = SchoolHoliday.covering(start.date(), self.repeat_until)
            off = [(h.first_day, h.last_day) for h in holidays]
        else:
            off = []
        zone = start.tzinfo
        return [
            timezone.make_aware(moment, zone)
            for moment in naive
            if not any(first <= moment.date() <= last for first, last in off)
        ]

    def skipped_starts(self, holidays=None):
        """The starts a term-time rule skips (the ``EXDATE`` of its feed)."""
        if not self.repeat or not self.term_time_only:
            return []
        kept = set(self.starts(holidays))
        everything = EventPage(
            start=self.start, repeat=self.repeat, repeat_until=self.repeat_until
        )
        everything.term_time_only = False
        return [moment for moment in everything.starts() if moment not in kept]


class CalendarFeed(models.Model):
    """The secret address of a person's own iCal feed. Resetting it makes
    the old address stop at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personal calendar address")
        verbose_name_plural = _("personal calendar addresses")

    def __str__(self):
        return str(self.user_id)

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @classmethod
    def of(cls, user):
        feed, _created = cls.objects.get_or_create(
            user=user, defaults={"token": cls.new_token()}
        )
        return feed

    def reset(self):
        self.token = self.new_token()
        self.save(update_fields=["token", "created_at"])
