from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.auth import LoginForm

from accounts.models import Membership
from accounts.scopes import (
    classrooms_managed_by,
    open_classrooms_managed_by,
    people_known_to,
    place_model,
)
from visibility.audience import is_district_team

MAX_ID = 2**63 - 1


def refuse_impossible_ids(field):
    """Ids too large for the database are refused like unknown ones (some
    databases fail on them instead of finding nothing)."""
    clean = field.clean

    def checked(value):
        values = value if isinstance(value, (list, tuple)) else [value]
        if any(str(item).isdigit() and int(item) > MAX_ID for item in values):
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(values[0])[:20]},
            )
        return clean(value)

    field.clean = checked


class AdminLoginForm(LoginForm):
    """Wagtail's login form, whose password field has no translated label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class MembershipForm(WagtailAdminModelForm):
    """Add a teacher or a family to a class (or, for the district team, a
    director to a school), by the e-mail address of their account."""

    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The address of their ENT account."),
    )

    class Meta:
        model = Membership
        fields = ["role", "classroom", "school"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.person = None
        if self.instance.pk:
            self.initial["email"] = self.instance.user.email
        self.fields["school"].required = False
        self.fields["school"].help_text = _("Only for a director.")
        # Archived classes are offered no more (a membership kept in one
        # keeps its class).
        classrooms = open_classrooms_managed_by(for_user) | classrooms_managed_by(
            for_user
        ).filter(pk=self.instance.classroom_id or 0)
        if not is_district_team(for_user):
            self.fields["role"].choices = [
                choice
                for choice in self.fields["role"].choices
                if choice[0] != Membership.Role.DIRECTOR
            ]
            del self.fields["school"]
        self.fields["classroom"].queryset = classrooms
        self.fields["classroom"].error_messages["invalid_choice"] = _(
            "This class belongs to another school."
        )
        for name in ("classroom", "school"):
            if name in self.fields:
                refuse_impossible_ids(self.fields[name])

    def clean_email(self):
        email = self.cleaned_data["email"]
        people = get_user_model().objects.filter(email__iexact=email, is_active=True)
        if not people:
            raise forms.ValidationError(
                _(
                    "No account has this e-mail address. Check it, or ask the "
                    "district team to create the account."
                )
            )
        if len(people) > 1:
            raise forms.ValidationError(
                _("Several accounts share this address: ask the district team.")
            )
        self.person = people[0]
        return email

    def clean(self):
        cleaned = super().clean()
        role, classroom = cleaned.get("role"), cleaned.get("classroom")
        if role == Membership.Role.DIRECTOR:
            if not cleaned.get("school") and "school" in self.fields:
                self.add_error("school", _("Choose the school of this director."))
            cleaned["classroom"] = None
        elif classroom is not None:
            cleaned["school"] = classroom.get_parent().specific
        if self.person and role and cleaned.get("school"):
            duplicates = Membership.objects.filter(
                user=self.person,
                role=role,
                school=cleaned["school"],
                classroom=cleaned.get("classroom"),
            ).exclude(pk=self.instance.pk)
            if duplicates.exists():
                raise forms.ValidationError(
                    _("This person already has this role here.")
                )
        return cleaned

    def save(self, commit=True):
        self.instance.user = self.person
        self.instance.school = self.cleaned_data["school"]
        self.instance.classroom = self.cleaned_data.get("classroom")
        return super().save(commit=commit)


def find_person(text, user):
    """The one active account ``text`` names for ``user``: an exact e-mail
    address finds any account (as the address was given to them); a name or
    part of an address finds only the people ``user`` already knows
    (``accounts.scopes.people_known_to``). Raises a ``ValidationError``
    saying what to do otherwise."""
    text = " ".join(text.split())
    if "@" in text and " " not in text:
        people = list(
            get_user_model().objects.filter(email__iexact=text, is_active=True)[:2]
        )
        if not people:
            # Perhaps a part of an address: among the people they know.
            people = list(people_known_to(user).filter(email__icontains=text)[:2])
        if not people:
            raise forms.ValidationError(
                _(
                    "No account has this e-mail address. Check it, or ask the "
                    "district team to create the account."
                )
            )
    else:
        people = list(matching_people(people_known_to(user), text)[:2])
        if not people:
            raise forms.ValidationError(
                _(
                    "Nobody of your school has this name. For someone new to "
                    "the school, type the e-mail address of their account."
                )
            )
    if len(people) > 1:
        raise forms.ValidationError(
            _(
                "Several people match “%(text)s”: choose one in the suggestions "
                "or type their e-mail address."
            ),
            params={"text": text[:60]},
        )
    return people[0]


def matching_people(people, text):
    """``people`` whose first name, last name, username or e-mail address
    holds each word of ``text``, by name."""
    for word in text.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    return people.order_by("last_name", "first_name", "pk")


class AddToClassForm(forms.Form):
    """Add a person the director finds by name or e-mail to one of their
    classes, as a family (by default) or a teacher, in one step."""

    person = forms.CharField(
        label=_("Name or e-mail address"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"list": "people-suggestions", "autocomplete": "off"}
        ),
        help_text=_(
            "Suggestions show the people of your school; someone new to the "
            "school is found by the e-mail address of their account."
        ),
    )
    classroom = forms.ModelChoiceField(
        label=_("Class"),
        queryset=place_model("classroom").objects.none(),
        empty_label=_("Choose a class"),
        error_messages={
            "invalid_choice": _("This class belongs to another school."),
            "required": _("Choose the class."),
        },
    )
    role = forms.ChoiceField(
        label=_("As"),
        choices=[
            (Membership.Role.FAMILY, _("Family")),
            (Membership.Role.TEACHER, _("Teacher")),
        ],
        initial=Membership.Role.FAMILY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, for_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["person"].error_messages["required"] = _(
            "Type a name or an e-mail address."
        )
        classrooms = open_classrooms_managed_by(for_user)
        self.fields["classroom"].queryset = classrooms
        refuse_impossible_ids(self.fields["classroom"])
        if len(classrooms) == 1:
            self.fields["classroom"].initial = classrooms[0].pk

    def clean_person(self):
        return find_person(self.cleaned_data["person"], self.for_user)

    def clean(self):
        cleaned = super().clean()
        person, classroom = cleaned.get("person"), cleaned.get("classroom")
        role = cleaned.get("role")
        if person and classroom and role:
            if Membership.objects.filter(
                user=person, role=role, classroom=classroom
            ).exists():
                raise forms.ValidationError(
                    _("%(person)s is already a member of %(class)s (%(role)s)."),
                    params={
                        "person": person.get_full_name() or person.get_username(),
                        "class": classroom.title,
                        "role": Membership.Role(role).label.lower(),
                    },
                )
        return cleaned

    def save(self):
        classroom = self.cleaned_data["classroom"]
        return Membership.objects.create(
            user=self.cleaned_data["person"],
            role=self.cleaned_data["role"],
            school=classroom.get_parent().specific,
            classroom=classroom,
        )
