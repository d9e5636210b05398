from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from accounts.forms import refuse_impossible_ids
from accounts.models import Membership
from accounts.scopes import classrooms_managed_by, open_classrooms_managed_by
from pupils.models import ImageConsent, Medium, Pupil


def manageable_pupils(user):
    """The pupils whose families and consents ``user`` manages: their
    school's for a director, all for the district team; those still in the
    district (a pupil who left, ``departures``, is no longer listed)."""
    return Pupil.objects.filter(
        classroom__in=classrooms_managed_by(user), left_on__isnull=True
    )


def pupils_taught_by(user):
    """The pupils an editor may name on a photo: those of their classes (all
    of their school's for a director, all for the district team) still in
    the district."""
    taught = Membership.objects.filter(user=user, role=Membership.Role.TEACHER).values(
        "classroom"
    )
    return Pupil.objects.filter(
        Q(classroom__in=classrooms_managed_by(user)) | Q(classroom__in=taught),
        left_on__isnull=True,
    ).select_related("classroom")


def pupils_for_photo(place, user):
    """The pupils that may be named on a photo of a news item under
    ``place``: those of its class, or of its school's classes (none for
    district news), still in the district."""
    kind = getattr(place, "scope_kind", None)
    if kind == "class":
        pupils = Pupil.objects.filter(classroom=place)
    elif kind == "school":
        pupils = Pupil.objects.filter(classroom__path__startswith=place.path)
    else:
        return Pupil.objects.none()
    # Whoever may add a news item there teaches or directs that class or
    # school, or is of the team: they may name its pupils (``user``).
    return (
        pupils.filter(left_on__isnull=True)
        .select_related("classroom")
        .order_by("classroom__path", "first_name", "last_initial")
    )


class PupilForm(WagtailAdminModelForm):
    """A pupil, their family accounts and the image consents their families
    gave on paper, recorded by the director."""

    consent_ent = forms.BooleanField(
        label=_("Consent to photos on the ENT this school year"), required=False
    )
    consent_web = forms.BooleanField(
        label=_("Consent to photos on the public web this school year"),
        required=False,
    )

    class Meta:
        model = Pupil
        fields = ["classroom", "first_name", "last_initial", "families"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        # Archived classes are offered no more (a pupil left in one keeps it).
        classrooms = open_classrooms_managed_by(for_user) | classrooms_managed_by(
            for_user
        ).filter(pk=self.instance.classroom_id or 0)
        self.fields["classroom"].queryset = classrooms
        self.fields["families"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__role=Membership.Role.FAMILY,
                memberships__classroom__in=classrooms,
            )
            .distinct()
        )
        for name in ("classroom", "families"):
            refuse_impossible_ids(self.fields[name])
        if self.instance.pk:
            self.initial["consent_ent"] = self.instance.consents(
                Medium.ENT, strict=True
            )
            self.initial["consent_web"] = self.instance.consents(
                Medium.WEB, strict=True
            )

    def save(self, commit=True):
        pupil = super().save(commit=commit)
        for medium, field in ((Medium.ENT, "consent_ent"), (Medium.WEB, "consent_web")):
            if field in self.changed_data:
                ImageConsent.objects.create(
                    pupil=pupil,
                    medium=medium,
                    given=self.cleaned_data[field],
                    recorded_by=self.for_user,
                )
        return pupil


class ConsentForm(forms.Form):
    """A family's own decision, from their account page."""

    pupil = forms.ModelChoiceField(queryset=Pupil.objects.none())
    medium = forms.ChoiceField(choices=Medium.choices)
    given = forms.BooleanField(required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["pupil"].queryset = Pupil.objects.filter(
            families=family, left_on__isnull=True
        )

    def save(self):
        pupil, medium = self.cleaned_data["pupil"], self.cleaned_data["medium"]
        given = self.cleaned_data["given"]
        if medium == Medium.ENT and not given and pupil.decision(Medium.WEB):
            # No photos on the ENT means none on the public web either.
            ImageConsent.objects.create(
                pupil=pupil, medium=Medium.WEB, given=False, recorded_by=self.family
            )
        return ImageConsent.objects.create(
            pupil=pupil, medium=medium, given=given, recorded_by=self.family
        )


def narrow_pupils(form, user):
    """The image form's pupils: the editor chooses among the pupils of their
    classes; those already named outside them stay named, unseen
    (``ImageForm.clean_pupils``)."""
    taught = pupils_taught_by(user)
    form.unseen_pupils = (
        list(form.instance.pupils.exclude(pk__in=taught.values("pk")))
        if form.instance.pk
        else []
    )
    form.fields["pupils"].queryset = Pupil.objects.filter(
        pk__in=taught.values("pk")
    ).select_related("classroom")
