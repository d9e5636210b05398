"""Pupils, as little as needed: who appears on a photo, and whether their
family consents to it being shown, per medium and school year."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from schools.models import current_school_year


class Medium(models.TextChoices):
    ENT = "ent", _("the ENT (members only)")
    WEB = "web", _("the public web")


class Pupil(models.Model):
    classroom = models.ForeignKey(
        "schools.ClassroomPage",
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="pupils",
    )
    first_name = models.CharField(_("first name"), max_length=60)
    last_initial = models.CharField(
        _("initial of the last name"), max_length=1, blank=True
    )
    # A keyed hash (HMAC with SECRET_KEY) of the family name, first name and
    # date of birth from ONDE: how an import finds the pupil again, twins
    # apart, without keeping the date or the family name in clear.
    match_key = models.CharField(
        _("ONDE matching key"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
    )
    families = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("family accounts"),
        related_name="children",
        blank=True,
    )
    # The day the pupil left the district (``departures``): their families'
    # access ended then; the pupil is deleted ENT_DEPARTURE_DAYS later.
    left_on = models.DateField(_("left on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["classroom__path", "first_name", "last_initial"]
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")

    def __str__(self):
        initial = f" {self.last_initial}." if self.last_initial else ""
        return f"{self.first_name}{initial}"

    def decision(self, medium, school_year=None):
        """The latest decision for ``medium`` this school year: True, False or
        None when nothing was recorded."""
        latest = (
            self.image_consents.filter(
                medium=medium, school_year=school_year or current_school_year()
            )
            .order_by("-recorded_at", "-pk")
            .first()
        )
        return latest.given if latest else None

    def consents(self, medium, school_year=None, strict=False):
        """Whether photos of the pupil may be shown on ``medium``, by the
        decisions of ``school_year`` (the current one by default).

        The public web needs its own yes and no withdrawal for the ENT; the
        ENT needs a yes, or a yes for the web and no decision for the ENT.
        ``strict`` reads the decision for ``medium`` alone. For a past year
        (the photos of an archived class), a refusal recorded since counts.
        """
        year = school_year or current_school_year()
        ent = self.decision(Medium.ENT, year)
        web = self.decision(Medium.WEB, year)
        if strict:
            return bool(ent if medium == Medium.ENT else web)
        if medium == Medium.WEB:
            allowed = bool(web) and ent is not False
        else:
            allowed = bool(ent) or (ent is None and bool(web))
        if allowed and year < current_school_year():
            return not self.refused_after(medium, year)
        return allowed

    def refused_after(self, medium, school_year):
        """Whether a decision of a later school year than ``school_year``
        refuses ``medium`` (a refusal of the ENT refuses the web too): a
        family withdrawing this year takes last year's photos off as well."""
        refusing = [Medium.ENT, Medium.WEB] if medium == Medium.WEB else [Medium.ENT]
        later = self.image_consents.filter(school_year__gt=school_year)
        for year in sorted(set(later.values_list("school_year", flat=True))):
            if any(self.decision(each, year) is False for each in refusing):
                return True
        return False


class ImageConsent(models.Model):
    """One decision about a pupil's image: given or withdrawn, for one medium
    and one school year, with who recorded it and when. The latest counts."""

    pupil = models.ForeignKey(
        Pupil,
        verbose_name=_("pupil"),
        on_delete=models.CASCADE,
        related_name="image_consents",
    )
    medium = models.CharField(_("medium"), max_length=3, choices=Medium.choices)
    given = models.BooleanField(_("consent given"))
    school_year = models.CharField(
        _("school year"), max_length=9, default=current_school_year
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("image consent")
        verbose_name_plural = _("image consents")

    def __str__(self):
        return f"{self.pupil} · {self.get_medium_display()} · {self.given}"


def with_decisions(pupils, school_year=None):
    """``pupils`` annotated with their latest decision this school year for
    each medium (``decision_ent``, ``decision_web``: True, False or None), in
    one query."""
    year = school_year or current_school_year()

    def latest(medium):
        return Subquery(
            ImageConsent.objects.filter(
                pupil=OuterRef("pk"), medium=medium, school_year=year
            )
            .order_by("-recorded_at", "-pk")
            .values("given")[:1]
        )

    return pupils.annotate(
        decision_ent=latest(Medium.ENT), decision_web=latest(Medium.WEB)
    )


# The value of the pupils list's ``?accord=`` listing them (« sans accord »).
NO_CONSENT = "aucun"


def without_consent(pupils, school_year=None):
    """``pupils`` for whom nothing is recorded this school year for one medium
    or both (« sans accord »): the director still has a form to record."""
    year = school_year or current_school_year()

    def recorded(medium):
        return Exists(
            ImageConsent.objects.filter(
                pupil=OuterRef("pk"), medium=medium, school_year=year
            )
        )

    return pupils.filter(~recorded(Medium.ENT) | ~recorded(Medium.WEB))


def record_consent(pupil, medium, given, recorded_by):
    """Record a decision for ``pupil`` on ``medium`` this school year, or
    nothing when it is already the latest one (None then). As on the family's
    side, no photos on the ENT means none on the public web either."""
    if pupil.decision(medium) is given:
        return None
    if medium == Medium.ENT and not given and pupil.decision(Medium.WEB):
        ImageConsent.objects.create(
            pupil=pupil, medium=Medium.WEB, given=False, recorded_by=recorded_by
        )
    return ImageConsent.objects.create(
        pupil=pupil, medium=medium, given=given, recorded_by=recorded_by
    )
