import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.fields import ParentalManyToManyField

from pages.forms import AudiencePageForm
from pages.mixins import SitePageMixin
from pages.pagination import paginate_by_key
from visibility.audience import Audience, AudienceMixin, audience_field, visible_pages

validate_uai = RegexValidator(
    r"^[0-9]{7}[A-Z]$",
    _(
        "A UAI code is made of 7 digits followed by one capital letter, "
        "for example 0451234K."
    ),
)
validate_phone = RegexValidator(
    r"^(?:\+33 ?|0)[1-9](?:[ .-]?[0-9]{2}){4}$",
    _("Enter a French phone number, for example 02 38 12 34 56."),
)
validate_postcode = RegexValidator(
    r"^[0-9]{5}$", _("A postcode is made of 5 digits, for example 45000.")
)


class UAIField(models.CharField):
    """A UAI code, stored in capitals without surrounding spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if value else value


def validate_school_year(value):
    first, _sep, second = value.partition("-")
    if not (
        len(value) == 9
        and first.isdigit()
        and second.isdigit()
        and int(second) == int(first) + 1
    ):
        raise ValidationError(
            _("Enter a school year as two following years, for example 2026-2027.")
        )


def current_school_year(today=None):
    """The school year in progress: it starts on 1 September."""
    today = today or datetime.date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}-{start + 1}"


def archived_classes():
    """{tree path: school year} of the archived classes (``schoolyear``),
    kept with the site's structure in the shared cache (dropped whenever a
    page changes, and when a class is archived): asked on every admin page
    and every check of a photo's consents."""
    from visibility.cache import remember

    return remember(
        "archived-classes",
        lambda: dict(
            ClassroomPage.objects.filter(archived_on__isnull=False).values_list(
                "path", "school_year"
            )
        ),
    )


class Level(models.Model):
    """A class level of primary school (PS … CM2), with its cycle."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=40)
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self):
        return self.code


class SchoolIndexPage(SitePageMixin, Page):
    intro = RichTextField(
        _("introduction"), features=["bold", "italic", "link"], blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["schools.SchoolPage"]
    max_count_per_parent = 1
    page_description = _("The list of the district's schools.")

    class Meta:
        verbose_name = _("school index")
        verbose_name_plural = _("school indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["schools"] = visible_pages(
            SchoolPage.objects.child_of(self).live(), request.user
        ).order_by("city", "title")
        return context


class SchoolPage(SitePageMixin, AudienceMixin, Page):
    """A school of the district, with its classes and its news."""

    class Kind(models.TextChoices):
        NURSERY = "maternelle", _("Nursery school")
        ELEMENTARY = "elementaire", _("Elementary school")
        PRIMARY = "primaire", _("Primary school")

    scope_kind = "school"
    base_form_class = AudiencePageForm

    audience = audience_field()
    uai = UAIField(
        _("UAI code"),
        max_length=8,
        validators=[validate_uai],
        help_text=_("The school's national identifier (formerly RNE), e.g. 0451234K."),
    )
    kind = models.CharField(_("kind of school"), max_length=12, choices=Kind.choices)
    presentation = RichTextField(
        _("presentation"), features=["bold", "italic", "link", "ul"], blank=True
    )
    street_address = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(
        _("postcode"), max_length=5, validators=[validate_postcode]
    )
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    director_name = models.CharField(
        _("director"),
        max_length=120,
        blank=True,
        help_text=_("As shown to families, e.g. « Mme Dupont »."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience"),
        MultiFieldPanel(
            [FieldPanel("uai"), FieldPanel("kind"), FieldPanel("director_name")],
            heading=_("School"),
        ),
        FieldPanel("presentation"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("postcode"),
                FieldPanel("city"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("presentation"),
        index.SearchField("city"),
        index.AutocompleteField("city"),
        index.FilterField("uai"),
    ]

    parent_page_types = ["schools.SchoolIndexPage"]
    subpage_types = ["schools.ClassroomPage", "news.NewsPage", "agenda.EventPage"]
    page_description = _(
        "A school: its contact details, its classes and the news it publishes."
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def clean(self):
        super().clean()
        duplicates = SchoolPage.objects.filter(uai=self.uai, locale_id=self.locale_id)
        if self.translation_key:
            duplicates = duplicates.exclude(translation_key=self.translation_key)
        if self.uai and duplicates.exists():
            raise ValidationError(
                {"uai": _("Another school already has this UAI code.")}
            )

    def get_context(self, request, *args, **kwargs):
        from news.models import NewsPage

        context = super().get_context(request, *args, **kwargs)
        rooms = visible_pages(
            ClassroomPage.objects.child_of(self).live(), request.user
        ).order_by("-school_year", "title")
        # Last years' classes, archived (``schoolyear``), listed apart.
        context["classrooms"] = [room for room in rooms if room.archived_on is None]
        context["archived_classrooms"] = [room for room in rooms if room.archived_on]
        context["news_page"] = paginate_by_key(
            request, NewsPage.objects.listing(request.user).child_of(self).cards()
        )
        return context


class ClassroomPage(SitePageMixin, AudienceMixin, Page):
    """A class of a school for one school year: its levels, teachers and news."""

    scope_kind = "class"
    base_form_class = AudiencePageForm

    audience = audience_field(default=Audience.COMMUNITY)
    levels = ParentalManyToManyField(
        Level, verbose_name=_("levels"), related_name="classrooms"
    )
    school_year = models.CharField(
        _("school year"),
        max_length=9,
        default=current_school_year,
        validators=[validate_school_year],
        help_text=_("For example 2026-2027."),
    )
    presentation = RichTextField(
        _("presentation"), features=["bold", "italic", "link", "ul"], blank=True
    )
    # Set when the next school year opens (``schoolyear``): the class is then
    # read-only for school staff, still read by its members, and deleted
    # ``ENT_ARCHIVE_DAYS`` later.
    archived_on = models.DateField(
        _("archived on"), null=True, blank=True, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience"),
        FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
        FieldPanel("school_year"),
        FieldPanel("presentation"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("presentation"),
        index.FilterField("school_year"),
    ]

    parent_page_types = ["schools.SchoolPage"]
    subpage_types = ["news.NewsPage", "agenda.EventPage"]
    page_description = _(
        "A class for one school year: its levels, its teachers and its news "
        "(the class's home-school notebook)."
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    @property
    def teachers(self):
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(memberships__classroom=self, memberships__role="teacher")
            .order_by("last_name", "first_name")
        )

    def get_context(self, request, *args, **kwargs):
        from news.models import NewsPage

        context = super().get_context(request, *args, **kwargs)
        context["news_page"] = paginate_by_key(
            request, NewsPage.objects.listing(request.user).child_of(self).cards()
        )
        return context
