"""An account on its way out of the ENT: a family whose children have all
left the district, or a member of staff whose departure the team recorded.
``apply_departures`` reads these every day to send the notice and delete the
account in time (arrêté ENT, art. 6)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Departure(models.Model):
    class Kind(models.TextChoices):
        FAMILY = "family", _("Family with no child left in the district")
        STAFF = "staff", _("Staff member who left")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="departure",
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    left_on = models.DateField(_("left on"))
    notice_sent_on = models.DateField(_("deletion notice sent on"), null=True)
    # Staff: who received their pages, images and documents, and how many.
    handed_over_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over to"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    pages_handed_over = models.PositiveIntegerField(_("pages handed over"), default=0)

    class Meta:
        ordering = ["left_on", "pk"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")

    def __str__(self):
        return f"{self.user} · {self.left_on}"

    @property
    def deletion_due_on(self):
        """The day the account is deleted: ``ENT_DEPARTURE_DAYS`` after the
        departure, and never sooner than the notice's ``ENT_DEPARTURE_NOTICE_
        DAYS`` after it was sent (a notice sent late pushes the deletion)."""
        due = self.left_on + datetime.timedelta(days=settings.ENT_DEPARTURE_DAYS)
        if self.notice_sent_on is not None:
            due = max(
                due,
                self.notice_sent_on
                + datetime.timedelta(days=settings.ENT_DEPARTURE_NOTICE_DAYS),
            )
        return due

    @property
    def notice_due_on(self):
        return self.left_on + datetime.timedelta(
            days=settings.ENT_DEPARTURE_DAYS - settings.ENT_DEPARTURE_NOTICE_DAYS
        )
