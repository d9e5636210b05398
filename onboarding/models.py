"""An import: the ONDE file of one school, or the académie's staff
directory (``kind``, a district-wide file with no school). The uploaded file
is kept in the database (never in public storage) only until it is applied,
with its preview's counts and problems, and its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OndeImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        ONDE = "onde", _("Pupils and families (ONDE)")
        STAFF = "staff", _("Staff (académie directory)")

    kind = models.CharField(
        _("kind"), max_length=5, choices=Kind.choices, default=Kind.ONDE
    )
    # None for a staff import, which spans the district.
    school = models.ForeignKey(
        "schools.SchoolPage",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="onde_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=150)
    # The file itself, emptied once applied.
    content = models.BinaryField(_("content"), default=b"", editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    # The preview's counts and lines (``onboarding.matching.Plan.summary``).
    summary = models.JSONField(_("summary"), default=dict)
    done = models.PositiveIntegerField(_("pupils done"), default=0)
    total = models.PositiveIntegerField(_("pupils to do"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("ONDE import")
        verbose_name_plural = _("ONDE imports")

    def __str__(self):
        return f"{self.school or self.get_kind_display()} · {self.file_name}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
