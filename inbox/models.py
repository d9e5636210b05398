"""What is addressed to each person: read marks, recipients of a news item
(kept as computed at publication), acknowledgements and e-mail choices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadMark(models.Model):
    """``user`` has opened ``page``: it is no longer unread in their feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="one_read_mark")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.page_id}"


class Recipient(models.Model):
    """A person a news item was addressed to, as computed from its audience
    when it was published. The row stays when memberships change later: the
    sender keeps the record, the person keeps no access."""

    class Notification(models.TextChoices):
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent")
        DIGEST = "digest", _("In the daily digest")
        NONE = "none", _("Not notified")
        FAILED = "failed", _("Could not be sent")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="addressed",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10)
    # Where the person stood then, to sort the report by class.
    school_title = models.CharField(_("school"), max_length=255, blank=True)
    classroom_title = models.CharField(_("class"), max_length=255, blank=True)
    addressed_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True)
    # The author of the news item and the directors of its school read it
    # but are not asked to confirm it (nor counted, reminded or exported).
    asked_to_acknowledge = models.BooleanField(default=True)
    notification = models.CharField(
        max_length=10, choices=Notification.choices, default=Notification.PENDING
    )
    notified_at = models.DateTimeField(null=True)
    # The e-mail is being sent by a run of the worker until then; a run that
    # died leaves it to the next one once this has passed.
    claimed_until = models.DateTimeField(null=True)
    # Runs that tried to send it: past a few, it is given up and logged.
    attempts = models.PositiveSmallIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="one_recipient")
        ]
        indexes = [
            models.Index(fields=["notification", "page"], name="recipient_to_notify")
        ]

    def __str__(self):
        return f"{self.user_id} ← {self.page_id}"


class NotificationChoice(models.Model):
    """How a person wants to hear of what is addressed to them."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per news item")
        DAILY = "daily", _("Once a day, a digest")
        NEVER = "never", _("Never: I read my feed")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_choice",
    )
    frequency = models.CharField(
        _("e-mails"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"

    @classmethod
    def of(cls, user):
        choice = cls.objects.filter(user=user).first()
        return choice.frequency if choice else cls.Frequency.IMMEDIATE
