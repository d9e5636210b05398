from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """How an account not yet activated was invited: the last activation
    e-mail (a newer one voids the links of the older ones) and the last
    login sheet, whose one-time code is kept hashed only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="invitation",
        verbose_name=_("user"),
    )
    emailed_at = models.DateTimeField(_("invitation sent on"), null=True, blank=True)
    printed_at = models.DateTimeField(_("sheet printed on"), null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(self.user)


def not_activated(users=None):
    """Accounts not yet activated: active, with no usable password (as the
    ONDE import creates them)."""
    if users is None:
        users = get_user_model().objects.all()
    return users.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
