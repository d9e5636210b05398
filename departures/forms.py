"""The forms of the departures' admin views."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateInput

from accounts.forms import refuse_impossible_ids
from departures.models import Departure
from departures.staff import STAFF_ROLES, default_successor, staff_accounts
from visibility.audience import DISTRICT_TEAM_GROUP


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.email})" if obj.email else name


class PupilLeftForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the log)"),
        max_length=200,
        required=False,
        help_text=_("For example: moved to another town."),
    )


class StaffDepartureForm(forms.Form):
    """A member of staff leaving, and who receives what they own."""

    person = PersonChoiceField(
        label=_("Person leaving"), queryset=get_user_model().objects.none()
    )
    left_on = forms.DateField(
        label=_("Left on"), widget=AdminDateInput, initial=datetime.date.today
    )
    successor = PersonChoiceField(
        label=_("Their pages, images and documents go to"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Leave empty for the director of their school."),
    )
    reason = forms.CharField(
        label=_("Reason (kept in the log)"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True)
        recorded = Departure.objects.filter(kind=Departure.Kind.STAFF).values("user")
        self.fields["person"].queryset = users.filter(
            Q(pk__in=staff_accounts().values("pk")) | Q(pk__in=recorded)
        ).order_by("last_name", "first_name", "username")
        self.fields["successor"].queryset = (
            users.filter(
                Q(memberships__role__in=STAFF_ROLES)
                | Q(groups__name=DISTRICT_TEAM_GROUP)
            )
            .exclude(pk__in=recorded)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        for name in ("person", "successor"):
            refuse_impossible_ids(self.fields[name])

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on > datetime.date.today():
            raise forms.ValidationError(
                _("Record a departure on the day or after: it takes effect at once.")
            )
        return left_on

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is None:
            return cleaned
        recorded = Departure.objects.filter(user=person).first()
        successor = (
            cleaned.get("successor")
            or default_successor(person)
            or (recorded and recorded.handed_over_to)
        )
        if successor is None:
            self.add_error(
                "successor",
                _(
                    "Their school has no other director: choose who receives "
                    "their pages."
                ),
            )
        elif successor == person:
            self.add_error(
                "successor", _("Choose someone other than the person leaving.")
            )
        cleaned["successor"] = successor
        return cleaned
