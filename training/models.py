"""The pedagogical advisers' training space (DESIGN §9): sessions
(*animations pédagogiques*) with their dates, registrations with a waiting
list, attendance, hours from outside sessions, anonymous feedback."""

import decimal
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from pages.forms import AudiencePageForm
from pages.mixins import SitePageMixin
from schools.models import current_school_year
from visibility.audience import Audience, AudienceMixin, audience_field

# The hours of *animations pédagogiques et formation continue* each teacher
# owes in a school year (out of their 108 hours).
HOURS_DUE = decimal.Decimal(18)


class TrainingIndexPage(SitePageMixin, Page):
    """« Formations »: the sessions of the pedagogical advisers."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["training.TrainingSessionPage"]
    max_count_per_parent = 1
    page_description = _("The training sessions of the pedagogical advisers.")

    class Meta:
        verbose_name = _("training space")
        verbose_name_plural = _("training spaces")


class Theme(models.TextChoices):
    DIGITAL = "numerique", _("Digital skills")
    FRENCH = "francais", _("French")
    MATHS = "mathematiques", _("Mathematics")
    SCIENCE = "sciences", _("Science and technology")
    ARTS = "arts", _("Arts")
    SPORT = "eps", _("Physical education")
    LANGUAGES = "langues", _("Modern languages")
    INCLUSION = "inclusion", _("Inclusive school")
    NURSERY = "maternelle", _("Nursery school")
    OTHER = "autre", _("Other")


# Who a session may be for: staff of the district or of some schools.
SESSION_AUDIENCES = [Audience.STAFF, Audience.DIRECTORS]


class TrainingSessionPage(SitePageMixin, AudienceMixin, Page):
    """A training session: its theme, dates, place, trainer and hours, for
    the teachers (staff) or the directors of the district or of some schools,
    with a capacity, a waiting list and a registration deadline."""

    audience = audience_field(default=Audience.STAFF)
    target_schools = ParentalManyToManyField(
        "schools.SchoolPage",
        verbose_name=_("only for these schools"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for the whole district."),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    description = RichTextField(
        _("description"), features=["bold", "italic", "link", "ul"], blank=True
    )
    trainer = models.CharField(_("trainer"), max_length=120)
    capacity = models.PositiveSmallIntegerField(
        _("places"), help_text=_("Beyond it, teachers join the waiting list.")
    )
    registration_deadline = models.DateTimeField(_("registrations close on"))
    shared_resources = ParentalManyToManyField(
        "resources.ResourcePage",
        verbose_name=_("resources shared with the participants"),
        blank=True,
        related_name="+",
        help_text=_(
            "Resources of the library (for staff) given to the participants "
            "after the session."
        ),
    )
    # When the feedback form was sent to the participants (once).
    feedback_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    base_form_class = AudiencePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldPanel("description"),
        FieldPanel("trainer"),
        InlinePanel("dates", heading=_("Dates"), label=_("date"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("target_schools", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("For whom"),
        ),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldPanel("registration_deadline")],
            heading=_("Registrations"),
        ),
        FieldPanel("shared_resources"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("trainer"),
        index.FilterField("theme"),
    ]

    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types = []
    page_description = _(
        "A training session for teachers or directors, with registrations."
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def clean(self):
        super().clean()
        if self.audience not in SESSION_AUDIENCES:
            raise ValidationError(
                {
                    "audience": _(
                        "A session is for teachers and directors, or directors."
                    )
                }
            )

    @property
    def hours(self):
        """The hours of the whole session (the sum of its dates')."""
        return sum((date.hours for date in self.dates.all()), decimal.Decimal(0))

    @property
    def school_year(self):
        first = self.dates.order_by("start").first()
        return current_school_year(first.start.date()) if first else None


class SessionDate(Orderable):
    """One date of a session, in person or at a distance, with its hours."""

    class Mode(models.TextChoices):
        IN_PERSON = "presentiel", _("In person")
        DISTANCE = "distanciel", _("At a distance")

    session = ParentalKey(
        TrainingSessionPage, on_delete=models.CASCADE, related_name="dates"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    mode = models.CharField(
        _("format"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON
    )
    place = models.CharField(
        _("place or link"),
        max_length=200,
        blank=True,
        help_text=_("The room and address, or the link of the video meeting."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        help_text=_("The hours this date counts towards the 18 hours."),
    )

    panels = [
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("mode"),
        FieldPanel("place"),
        FieldPanel("hours"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session date")
        verbose_name_plural = _("session dates")

    def __str__(self):
        return f"{self.session_id} · {self.start:%Y-%m-%d}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end comes after the start.")})


class Registration(models.Model):
    """A person registered for a session, or waiting for a place."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")

    session = models.ForeignKey(
        TrainingSessionPage, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_registration_per_session"
            )
        ]
        indexes = [
            models.Index(
                fields=["session", "status", "created_at"], name="registration_queue"
            )
        ]

    def __str__(self):
        return f"{self.session_id} · {self.user_id} · {self.status}"


class Attendance(models.Model):
    """Whether a registered person was there on one date of the session."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    date = models.ForeignKey(
        SessionDate, on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("present"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "date"], name="one_attendance_per_date"
            )
        ]

    def __str__(self):
        return f"{self.registration_id} · {self.date_id} · {self.present}"


class ExternalHours(models.Model):
    """Hours of training outside the district's sessions (a national online
    module, say), entered by the teacher and counted once a CPC validates
    them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for validation")
        VALIDATED = "validated", _("Validated")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_training_hours",
    )
    title = models.CharField(_("training"), max_length=200)
    done_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours of an outside training")
        verbose_name_plural = _("hours of outside trainings")
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def school_year(self):
        return current_school_year(self.done_on)


def external_hours_of(user, school_year):
    """The validated hours of ``user``'s outside trainings in ``school_year``."""
    first = int(school_year[:4])
    total = ExternalHours.objects.filter(
        user=user,
        status=ExternalHours.Status.VALIDATED,
        done_on__gte=f"{first}-09-01",
        done_on__lt=f"{first + 1}-09-01",
    ).aggregate(total=Sum("hours"))["total"]
    return total or decimal.Decimal(0)


class FeedbackAnswer(models.Model):
    """One anonymous answer to a session's feedback form, without the name
    of who gave it (``FeedbackGiven`` only records that they answered); the
    team sees the answers only together (``training.followup``)."""

    class Rating(models.IntegerChoices):
        VERY_USEFUL = 4, _("Very useful")
        USEFUL = 3, _("Useful")
        NOT_VERY_USEFUL = 2, _("Not very useful")
        NOT_USEFUL = 1, _("Not useful")

    # Random: the order of the rows tells nothing of who answered first.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        TrainingSessionPage, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("how useful was it for your class?"), choices=Rating.choices
    )
    liked = models.TextField(_("what you will use"), blank=True, max_length=2000)
    improve = models.TextField(_("what could be better"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")

    def __str__(self):
        return f"{self.session_id} · {self.rating}"


class FeedbackGiven(models.Model):
    """That a participant answered the feedback form (never what)."""

    session = models.ForeignKey(
        TrainingSessionPage, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_feedback_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.session_id} · {self.user_id}"


class SharedResourceSent(models.Model):
    """That a session's shared resource was e-mailed to its participants,
    and when: a second click sends only the resources added since."""

    session = models.ForeignKey(
        TrainingSessionPage, on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(
        "resources.ResourcePage", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resource"], name="one_sending_per_resource"
            )
        ]

    def __str__(self):
        return f"{self.session_id} · {self.resource_id}"


class HoursReminder(models.Model):
    """That a person behind on their hours was reminded by e-mail (at most
    once a week)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "sent_at"], name="hours_reminder")]

    def __str__(self):
        return f"{self.user_id} · {self.sent_at:%Y-%m-%d}"
