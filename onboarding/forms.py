from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.onde import OndeFileError, read_onde, size_problem
from onboarding.staff import StaffPlan


class ImportUploadForm(forms.Form):
    """An uploaded file, refused when too large or unreadable; ``read`` turns
    its bytes into what the preview shows (``self.read_file``)."""

    def read(self, content):
        raise NotImplementedError

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        problem = size_problem(uploaded.size)
        if problem:
            raise forms.ValidationError(problem)
        self.content = uploaded.read()
        try:
            self.read_file = self.read(self.content)
        except OndeFileError as error:
            raise forms.ValidationError(str(error)) from error
        return uploaded


class OndeUploadForm(ImportUploadForm):
    file = forms.FileField(
        label=_("ONDE extraction (CSVExtraction.csv)"),
        help_text=_(
            "In ONDE: « Élèves de l'école et leurs responsables », exported as "
            "CSV. Nothing changes before you confirm the preview."
        ),
    )

    def read(self, content):
        return read_onde(content)


class StaffUploadForm(ImportUploadForm):
    file = forms.FileField(
        label=_("Staff file (CSV)"),
        help_text=_(
            "The académie's directory with the columns « Nom », « Prénom », "
            "« Courriel », « UAI », « Rôle » and « Classes » (separated by "
            "« | »). Nothing changes before you confirm the preview."
        ),
    )

    def read(self, content):
        return StaffPlan(content)
