"""The opening of a school year in one school: what the district team chose
(the year, the opening date, how the classes are made), and when it was
applied. One row per school and year: opening the year again finds it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models import validate_school_year


class Rollover(models.Model):
    class Source(models.TextChoices):
        ONDE = "onde", _("From the school's new ONDE file")
        COPY = "copy", _("By copying last year's classes")

    school = models.ForeignKey(
        "schools.SchoolPage",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="rollovers",
    )
    school_year = models.CharField(
        _("school year"), max_length=9, validators=[validate_school_year]
    )
    opens_on = models.DateField(_("opening date"))
    source = models.CharField(_("classes made"), max_length=4, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=150, blank=True)
    # The ONDE file, kept in the database only until the year is opened.
    content = models.BinaryField(_("content"), default=b"", editable=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    # The counts of what the opening did (``schoolyear.rollover``).
    summary = models.JSONField(_("summary"), default=dict)
    consents_requested_at = models.DateTimeField(
        _("consents requested at"), null=True, blank=True
    )

    class Meta:
        ordering = ["school_year", "school__title"]
        verbose_name = _("opening of a school year")
        verbose_name_plural = _("openings of a school year")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="one_rollover_per_school_year"
            )
        ]

    def __str__(self):
        return f"{self.school} · {self.school_year}"
