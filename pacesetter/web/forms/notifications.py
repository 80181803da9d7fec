"""The notification settings: for each kind, in the app, by e-mail, in the chat channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from pacesetter.notifications.kinds import Choice, chat_configured
from pacesetter.notifications.models import Kind
from pacesetter.notifications.selectors import KindChoice

CHANNELS = ("in_app", "email", "chat")
CHANNEL_LABELS = {
    "in_app": gettext_lazy("In the app"),
    "email": gettext_lazy("By e-mail"),
    "chat": gettext_lazy("In the team's chat"),
}


@dataclass(frozen=True)
class SettingsRow:
    """One kind's line of the form: its label and its three boxes."""

    kind: str
    label: str
    in_app: forms.BoundField
    email: forms.BoundField
    chat: forms.BoundField


class NotificationSettingsForm(forms.Form):
    def __init__(self, *args: Any, current: list[KindChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chat_available = chat_configured()
        self.labels = {c.kind: c.label for c in current}
        for c in current:
            for channel in CHANNELS:
                name = f"{c.label}: {CHANNEL_LABELS[channel]}"  # for screen readers
                field = forms.BooleanField(
                    required=False,
                    initial=getattr(c.choice, channel),
                    widget=forms.CheckboxInput(attrs={"aria-label": name}),
                )
                if channel == "chat" and not self.chat_available:
                    field.disabled = True  # no channel set up: nothing to choose
                self.fields[f"{c.kind}__{channel}"] = field

    def rows(self) -> list[SettingsRow]:
        return [
            SettingsRow(kind, label, *(self[f"{kind}__{channel}"] for channel in CHANNELS))
            for kind, label in self.labels.items()
        ]

    def choices(self) -> dict[str, Choice]:
        """The choices as sent, kind by kind (after ``is_valid``)."""
        data = self.cleaned_data
        return {
            kind: Choice(*(bool(data.get(f"{kind}__{channel}")) for channel in CHANNELS))
            for kind in self.labels
            if kind in Kind.values
        }
