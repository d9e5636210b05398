import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateInput

from onboarding.onde import OndeFileError, read_onde, size_problem
from schools.models import validate_school_year
from schoolyear.models import Rollover
from schoolyear.rollover import next_school_year

NOT_NOW = ""


class RolloverForm(forms.Form):
    """The year to open, its opening date and, for each school, how its
    classes are made (and its ONDE file). Files are read here: a file that
    cannot be read is refused with the reader's French message."""

    school_year = forms.CharField(
        label=_("School year to open"),
        max_length=9,
        validators=[validate_school_year],
    )
    opens_on = forms.DateField(label=_("Opening date"), widget=AdminDateInput)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = list(schools)
        year = next_school_year()
        self.fields["school_year"].initial = year
        self.fields["opens_on"].initial = datetime.date(int(year[:4]), 9, 1)
        choices = [
            (NOT_NOW, _("Not now")),
            *Rollover.Source.choices,
        ]
        for school in self.schools:
            self.fields[f"source_{school.pk}"] = forms.ChoiceField(
                label=_("How the classes are made"),
                choices=choices,
                required=False,
                initial=Rollover.Source.COPY,
            )
            self.fields[f"file_{school.pk}"] = forms.FileField(
                label=_("New ONDE extraction"), required=False
            )

    def rows(self):
        """(school, source field, file field) for the template."""
        return [
            (school, self[f"source_{school.pk}"], self[f"file_{school.pk}"])
            for school in self.schools
        ]

    def clean_school_year(self):
        year = self.cleaned_data["school_year"]
        if year != next_school_year():
            raise forms.ValidationError(
                _("Choose the school year after the one in progress (%(year)s).")
                % {"year": next_school_year()}
            )
        return year

    def clean_opens_on(self):
        """The first day of school of the new year: between 1 July and 30
        September of its first calendar year."""
        opens_on = self.cleaned_data["opens_on"]
        first = int(next_school_year()[:4])
        if not (datetime.date(first, 7, 1) <= opens_on <= datetime.date(first, 9, 30)):
            raise forms.ValidationError(
                _(
                    "The first day of school of %(year)s falls between 1 July "
                    "and 30 September %(first)s."
                )
                % {"year": next_school_year(), "first": first}
            )
        return opens_on

    def clean(self):
        cleaned = super().clean()
        self.chosen = []
        for school in self.schools:
            source = cleaned.get(f"source_{school.pk}")
            uploaded = cleaned.get(f"file_{school.pk}")
            if not source:
                continue
            content = b""
            if source == Rollover.Source.ONDE:
                if not uploaded:
                    self.add_error(
                        f"file_{school.pk}",
                        _("Choose the school's new ONDE extraction."),
                    )
                    continue
                problem = size_problem(uploaded.size)
                if problem:
                    self.add_error(f"file_{school.pk}", problem)
                    continue
                content = uploaded.read()
                try:
                    read_onde(content)
                except OndeFileError as error:
                    self.add_error(f"file_{school.pk}", str(error))
                    continue
            self.chosen.append(
                (school, source, content, uploaded.name[:150] if content else "")
            )
        if not self.errors and not self.chosen:
            raise forms.ValidationError(
                _("Choose how the classes of at least one school are made.")
            )
        return cleaned
