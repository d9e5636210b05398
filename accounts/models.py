from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Members of this group are the district team (IEN, CPC, ERUN).
from visibility.audience import DISTRICT_TEAM_GROUP  # noqa: F401


class Membership(models.Model):
    """A user's place in a school: director of it, or teacher or family of
    one of its classes."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        TEACHER = "teacher", _("Teacher")
        FAMILY = "family", _("Family")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    school = models.ForeignKey(
        "schools.SchoolPage",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    classroom = models.ForeignKey(
        "schools.ClassroomPage",
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Required for teachers and families; empty for a director."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school", "classroom"],
                name="unique_class_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "school"],
                condition=models.Q(role="director"),
                name="unique_school_director",
            ),
            models.CheckConstraint(
                condition=models.Q(role="director", classroom__isnull=True)
                | (~models.Q(role="director") & models.Q(classroom__isnull=False)),
                name="class_required_except_for_directors",
            ),
        ]

    def __str__(self):
        # No e-mail address: this names the membership in Wagtail's log too.
        name = self.user.get_full_name() or self.user.get_username()
        where = self.classroom or self.school
        return f"{name} · {self.get_role_display()} · {where}"

    @admin.display(description=_("person"), ordering="user__last_name")
    def person(self):
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.user.email})" if self.user.email else name

    def clean(self):
        if self.role == self.Role.DIRECTOR:
            if self.classroom_id:
                raise ValidationError(
                    {"classroom": _("A director belongs to a school, not a class.")}
                )
        elif not self.classroom_id:
            raise ValidationError(
                {"classroom": _("Choose the class of this teacher or family.")}
            )
        elif self.school_id and not self.classroom.is_descendant_of(self.school):
            raise ValidationError(
                {"classroom": _("This class belongs to another school.")}
            )


class ScopeGroup(models.Model):
    """The group giving the directors of a school, the teachers of a class, or
    the contributors of the library their rights on its pages and media.
    Provisioned with the page (``accounts.provisioning``) and deleted with
    it."""

    class Role(models.TextChoices):
        DIRECTORS = "directors", _("Directors")
        TEACHERS = "teachers", _("Teachers")
        LIBRARY = "library", _("Library contributors")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="scope_groups"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="scope"
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("provisioned group")
        verbose_name_plural = _("provisioned groups")
        constraints = [
            models.UniqueConstraint(fields=["page", "role"], name="one_group_per_role")
        ]

    def __str__(self):
        return self.group.name


class ExternalIdentity(models.Model):
    """An identity a person holds at an outside provider (ÉduConnect for
    families, the académie's directory for staff), attached to their account
    so that a future single sign-on backend finds the account from the
    provider's stable identifier (docs/single-sign-on.md). A person may hold
    several; each (provider, subject) belongs to one account only."""

    class Provider(models.TextChoices):
        EDUCONNECT = "educonnect", _("ÉduConnect")
        ACADEMIE = "academie", _("Academy")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    subject = models.CharField(
        _("identifier"),
        max_length=255,
        help_text=_("The stable identifier the provider gives this person."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        ordering = ["provider", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="unique_external_identity"
            )
        ]

    def __str__(self):
        return f"{self.get_provider_display()} · {self.subject}"
