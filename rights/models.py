"""A person's request to have their account erased, decided by the
district team. The row outlives the account: once it is erased, the row
keeps only the account's number (« Compte supprimé n° 42 »)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting a decision")
        CONFIRMED = "confirmed", _("Account erased")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasure_requests",
    )
    # The account's number, kept once the account is gone.
    account_id = models.PositiveIntegerField(_("account number"), editable=False)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="requested"),
                name="one_pending_erasure_request",
            )
        ]

    def __str__(self):
        # No name: this is the label of its entries in the audit log.
        return _("Erasure request no. %(pk)s") % {"pk": self.pk}

    @property
    def pending(self):
        return self.status == self.Status.REQUESTED

    def account_label(self):
        """Who asked: the person while the account exists, its number after."""
        if self.user is None:
            from departures.deletion import deleted_label

            return deleted_label(self.account_id)
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.user.email})" if self.user.email else name
