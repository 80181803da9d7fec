"""Imports: an uploaded file and how to read it, and the weekly template's team and week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pacesetter.web.forms.common import choice_field


class ImportForm(forms.Form):
    """A CSV or XLSX file of one kind of rows, with a CRM preset or a column mapping, and the
    less common ways to read it (under "More options"). Every upload is checked first (a
    dry run) and imported when the user confirms.

    The labels of the options that the import's messages name are exactly those of
    ``ledger.importers.hints.OPTIONS``, so that "fill in "Date format"" names a field here.
    """

    KINDS = [
        ("activities", _("Activities")),
        ("deals", _("Deals")),
        ("accounts", _("Accounts (customers)")),
        ("entries", _("Weekly numbers (manual entries)")),
        ("org", _("People and teams")),
    ]
    MORE_OPTIONS = (
        "date_formats",
        "default_owner",
        "type_map",
        "round_cents",
        "decimal_comma",
        "rates",
        "won_stages",
        "lost_stages",
        "open_stages",
        "stages_strict",
        "encoding",
        "create_people",
    )

    kind = forms.ChoiceField(label=_("What the file holds"), choices=KINDS)
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    preset = forms.ChoiceField(
        label=_("Exported from"),
        required=False,
        choices=[
            ("", _("Pacesetter's own columns")),
            ("hubspot", "HubSpot"),
            ("salesforce", "Salesforce"),
            ("pipedrive", "Pipedrive"),
        ],
    )
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        # Translators: an example of a column mapping: Pacesetter's field = the file's column.
        widget=forms.Textarea({"rows": 3, "placeholder": _("owner = Sales rep\namount = Value")}),
        help_text=_("One field = column per line, when the columns have other names."),
    )
    skip_bad = forms.BooleanField(
        label=_("Import the good rows even if some are bad"), required=False
    )
    date_formats = forms.CharField(
        label=_("Date format"),
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2, "placeholder": "%d/%m/%Y"}),
        # xgettext:no-python-format
        help_text=_(
            "When dates are not written like 2026-03-31: one format per line or separated by "
            "commas, e.g. %d/%m/%Y (31/12/2026) or %m/%d/%Y %H:%M (12/31/2026 14:05)."
        ),
    )
    default_owner = forms.CharField(
        label=_("Owner for rows without one"),
        required=False,
        max_length=254,
        help_text=_("Deals and activities: a person's e-mail or full name."),
    )
    type_map = forms.CharField(
        label=_("Activity types"),
        required=False,
        max_length=5000,
        # Translators: an example of the CRM's activity types = Pacesetter's kinds.
        widget=forms.Textarea(
            {"rows": 2, "placeholder": _("Discovery call = call\nNote = ignore")}
        ),
    )
    round_cents = forms.BooleanField(
        label=_("Round amounts to cents"),
        required=False,
        help_text=_("Round amounts with more than two decimals (half up) instead of refusing."),
    )
    decimal_comma = forms.BooleanField(
        label=_("Numbers use a decimal comma"),
        required=False,
        help_text=_("Numbers are written 1.234,50."),
    )
    rates = forms.CharField(
        label=_("Exchange rates"),
        required=False,
        max_length=1000,
        widget=forms.TextInput({"placeholder": "EUR=1.08, JPY=0.0067"}),
        help_text=_(
            "Deals: amounts in another currency than the organisation's are refused unless "
            "you give its rate: EUR=1.08 means one euro is 1.08 of the organisation's currency."
        ),
    )
    won_stages = forms.CharField(
        label=_("Won stages"),
        required=False,
        max_length=1000,
        help_text=_(
            "Deals: the stages that mean won, separated by commas (default: won, closed won)."
        ),
    )
    lost_stages = forms.CharField(
        label=_("Lost stages"),
        required=False,
        max_length=1000,
        help_text=_(
            "Deals: the stages that mean lost, separated by commas (default: lost, closed lost)."
        ),
    )
    open_stages = forms.CharField(
        label=_("Open stages"),
        required=False,
        max_length=1000,
        help_text=_(
            "Deals: the stages that mean open, separated by commas (the CRM's own "
            "are known), for refusing unknown stages."
        ),
    )
    stages_strict = forms.BooleanField(
        label=_("Refuse unknown stages"),
        required=False,
        help_text=_("Deals: refuse a stage that is not a won, lost or open stage."),
    )
    encoding = forms.CharField(
        label=_("Encoding"),
        required=False,
        max_length=40,
        widget=forms.TextInput({"placeholder": "cp1252"}),
        help_text=_(
            "The CSV's encoding, e.g. utf-8, cp1252 or gb18030; found by itself when empty."
        ),
    )
    create_people = forms.BooleanField(
        label=_("Create people who are not known yet"),
        required=False,
        help_text=_(
            "People and teams: create the people the file names who are not known yet "
            "(their e-mail is then needed)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pacesetter.ledger.models import Activity

        super().__init__(*args, **kwargs)
        self.activity_kinds = (*Activity.Kind.values, "ignore")
        self.fields["type_map"].help_text = _(
            "The CRM's own activity types, one VALUE = KIND per line; KIND is one of %(kinds)s "
            "(ignore skips such rows)."
        ) % {"kinds": ", ".join(self.activity_kinds)}

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields always shown (no title), then the "More options" ones."""
        more = [self[name] for name in self.MORE_OPTIONS]
        main = [field for field in self if field.name not in self.MORE_OPTIONS]
        return [("", main), (str(_("More options")), more)]

    def more_options_open(self) -> bool:
        """Whether "More options" starts open: one of them is filled in or wrong."""
        if not self.is_bound:
            return False
        return any(self[name].errors or self.data.get(name) for name in self.MORE_OPTIONS)

    def clean_mapping(self) -> dict[str, str]:
        mapping = {}
        for line in self.cleaned_data["mapping"].splitlines():
            if not line.strip():
                continue
            field, sep, column = line.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise forms.ValidationError(_("Write each line as: field = column"))
            mapping[field.strip()] = column.strip()
        return mapping

    def clean_date_formats(self) -> list[str]:
        text = self.cleaned_data["date_formats"].replace(",", "\n")
        formats = [line.strip() for line in text.splitlines() if line.strip()]
        sample = dt.datetime(2026, 12, 31, 14, 5)  # noqa: DTZ001 only the format is checked
        for fmt in formats:
            try:
                ok = "%" in fmt and bool(dt.datetime.strptime(sample.strftime(fmt), fmt))  # noqa: DTZ007
            except ValueError:
                ok = False
            if not ok:
                raise forms.ValidationError(
                    _("“%(format)s” is not a date format: write e.g. %%d/%%m/%%Y for 31/12/2026."),
                    params={"format": fmt},
                )
        return formats

    def clean_type_map(self) -> dict[str, str]:
        types = {}
        for line in self.cleaned_data["type_map"].splitlines():
            if not line.strip():
                continue
            value, sep, kind = line.rpartition("=")
            kind = kind.strip().lower()
            if not sep or not value.strip() or kind not in self.activity_kinds:
                raise forms.ValidationError(
                    _("Write each line as: VALUE = KIND, where KIND is one of %(kinds)s."),
                    params={"kinds": ", ".join(self.activity_kinds)},
                )
            types[value.strip()] = kind
        return types

    @staticmethod
    def _stages(text: str) -> list[str]:
        return [stage.strip() for stage in text.split(",") if stage.strip()]

    def clean_won_stages(self) -> list[str]:
        return self._stages(self.cleaned_data["won_stages"])

    def clean_lost_stages(self) -> list[str]:
        return self._stages(self.cleaned_data["lost_stages"])

    def clean_open_stages(self) -> list[str]:
        return self._stages(self.cleaned_data["open_stages"])

    def clean_rates(self) -> dict[str, str]:
        from pacesetter.ledger.importers.parsing import CellError, exchange_rates

        given = {}
        for item in self.cleaned_data["rates"].replace(";", ",").replace("\n", ",").split(","):
            if not item.strip():
                continue
            code, sep, rate = item.partition("=")
            if not sep:
                raise forms.ValidationError(_("Write each rate as: EUR=1.08"))
            given[code.strip().upper()] = rate.strip()
        try:
            rates = exchange_rates(given)
        except CellError as error:
            raise forms.ValidationError(str(error)) from None
        return {code: str(rate) for code, rate in rates.items()}

    def clean_encoding(self) -> str:
        import codecs

        name = self.cleaned_data["encoding"].strip()
        if name:
            try:
                codecs.lookup(name)
            except LookupError:
                raise forms.ValidationError(
                    _("Unknown encoding: try utf-8, cp1252 or gb18030.")
                ) from None
        return name

    def clean(self) -> dict[str, Any]:
        from pacesetter.ledger.importers.presets import PRESETS

        data = super().clean()

        assert data is not None  # Form.clean gives its cleaned_data
        kind, preset = data.get("kind"), data.get("preset")
        if kind and preset and kind != "org" and kind not in PRESETS[preset].kinds:
            self.add_error(
                "preset",
                _(
                    "This export has no such rows: choose Pacesetter's own columns and a "
                    "column mapping."
                ),
            )
        if kind and kind != "org" and data.get("create_people"):
            self.add_error("create_people", _("Only for files of people and teams."))
        return data

    def options(self) -> dict[str, Any]:
        """The import's options as plain JSON (kept in the session until "Import now")."""
        d = self.cleaned_data
        return {
            "preset": d["preset"] or None,
            "mapping": d["mapping"],
            "date_formats": d["date_formats"],
            "default_owner": d["default_owner"].strip() or None,
            "type_map": d["type_map"],
            "round_cents": d["round_cents"],
            "decimal_comma": d["decimal_comma"],
            "rates": d["rates"],
            "won_stages": d["won_stages"] or None,
            "lost_stages": d["lost_stages"] or None,
            "open_stages": d["open_stages"],
            "stages_strict": d["stages_strict"],
            "encoding": d["encoding"] or None,
            "create_people": d["create_people"],
            "skip_bad": d["skip_bad"],
        }


class TemplateForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    week = forms.DateField(label=_("A day of the week"))

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "team").choices = units
