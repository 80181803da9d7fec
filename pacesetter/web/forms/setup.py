"""The first run: the company, its settings and the first admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SetupForm(forms.Form):
    """The first run (``web/views/first_run``): the company, its settings and the first
    admin. The field names are ``org.services.org_setup``'s arguments, so that the service's
    errors land on their fields; the service checks the values, this form their shape."""

    MONTHS = [
        (1, _("January")),
        (2, _("February")),
        (3, _("March")),
        (4, _("April")),
        (5, _("May")),
        (6, _("June")),
        (7, _("July")),
        (8, _("August")),
        (9, _("September")),
        (10, _("October")),
        (11, _("November")),
        (12, _("December")),
    ]
    WEEKDAYS = [  # 0 = Monday, as OrgSettings.week_start stores it
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]

    company = forms.CharField(label=_("Company name"), max_length=200)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="USD",
        help_text=_("An ISO 4217 code such as USD, EUR or CNY."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="UTC",
        widget=forms.TextInput({"list": "time-zones", "autocomplete": "off"}),
        help_text=_("Pages show dates and times in this zone, e.g. Europe/Berlin."),
    )
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("Fiscal year starts in"), choices=MONTHS, coerce=int, initial=1
    )
    week_start = forms.TypedChoiceField(
        label=_("Weeks start on"), choices=WEEKDAYS, coerce=int, initial=0
    )
    admin_username = forms.CharField(
        label=_("Admin username"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "username"}),
    )
    admin_email = forms.EmailField(label=_("Admin e-mail address"))
    admin_name = forms.CharField(
        label=_("Admin full name"),
        max_length=200,
        required=False,
        help_text=_("Empty: the username."),
    )
    admin_password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )
    admin_password_again = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean gives its cleaned_data
        password = data.get("admin_password")
        if password and password != data.get("admin_password_again"):
            self.add_error("admin_password_again", _("The two passwords differ."))
        return data

    def setup_arguments(self) -> dict[str, Any]:
        """``org_setup``'s keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k != "admin_password_again"}
