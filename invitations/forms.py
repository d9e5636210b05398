from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    code = forms.CharField(
        label=_("One-time code"),
        max_length=40,
        help_text=_("As printed on your sheet, for example ABCDE-23456."),
    )
