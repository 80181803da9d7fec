"""The form that adds a webhook endpoint on /webhooks/."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pacesetter.hooks.models import EventType


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where to send the events."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every event."),
    )
