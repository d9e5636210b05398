from django import forms
from django.utils.translation import gettext_lazy as _

from inbox.models import NotificationChoice


class NotificationChoiceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mails about what is addressed to me"),
        choices=NotificationChoice.Frequency.choices,
        widget=forms.RadioSelect,
    )
