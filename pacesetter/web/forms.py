"""The typed boundary of every form: what a page accepts, validated before a service runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.web.entries import EntryValue
from pacesetter.web.labels import KIND_LABELS, metric_label, part_label

SCORES = [(i, str(i)) for i in range(1, 6)]
MAX_TARGET = Decimal("999999999999.99")


def metric_choices(source: str | None = None) -> list[tuple[str, str]]:
    metrics = Metric.objects.order_by("name")
    if source:
        metrics = metrics.filter(source=source)
    return [(m.name, metric_label(m)) for m in metrics]


class WeeklyNumbersForm(forms.Form):
    """A week's numbers for every manual-entry metric: one field per metric, or one per
    metric and month when the week straddles two months (named ``metric@first-day``), so
    each number counts in the month it happened in."""

    def __init__(
        self,
        *args: Any,
        metrics: list[Metric],
        parts: list[tuple[dt.date, dt.date]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slots: dict[str, tuple[Metric, dt.date]] = {}
        for metric in metrics:
            for start, end in parts:
                name = week_field_name(metric, start, parts)
                label = metric_label(metric)
                if len(parts) > 1:
                    label = f"{label} ({part_label(start, end)})"
                self.slots[name] = (metric, start)
                self.fields[name] = forms.DecimalField(
                    label=label,
                    min_value=0,
                    max_value=Decimal(100000),
                    decimal_places=2,
                    required=False,
                )

    def values(self) -> list[EntryValue]:
        return [
            EntryValue(metric, first_day, self.cleaned_data[name])
            for name, (metric, first_day) in self.slots.items()
            if self.cleaned_data.get(name) is not None
        ]


def week_field_name(
    metric: Metric, first_day: dt.date, parts: list[tuple[dt.date, dt.date]]
) -> str:
    """The field of ``metric`` for the part of the week from ``first_day``: the metric's name,
    or ``name@first-day`` when the week has two parts."""
    return metric.name if len(parts) == 1 else f"{metric.name}@{first_day.isoformat()}"


class TargetForm(forms.Form):
    target = forms.DecimalField(
        label=_("New target"), min_value=0, max_value=MAX_TARGET, decimal_places=2
    )
    priority = forms.IntegerField(label=_("Priority"), min_value=1, max_value=99)
    reason = forms.CharField(label=_("Why"), max_length=300)


class CheckInForm(forms.Form):
    realistic = forms.TypedChoiceField(
        label=_("Is it realistic?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    challenging = forms.TypedChoiceField(
        label=_("Is it challenging?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    achievable = forms.TypedChoiceField(
        label=_("Is it achievable?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )


PERIOD_KINDS = [("week", _("Week")), ("month", _("Month")), ("quarter", _("Quarter"))]
GOAL_KINDS = [(k, v) for k, v in KIND_LABELS.items() if k != Goal.Kind.WATERFALL]


class GoalForm(forms.Form):
    """A new goal for a person, for every member of a team, or for a unit itself."""

    ASSIGN = [
        ("person", _("One person")),
        ("team", _("Every member of a team (one goal each)")),
        ("unit", _("The team or unit itself (a team total)")),
    ]
    assign_to = forms.ChoiceField(label=_("For"), choices=ASSIGN, initial="person")
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False)
    unit = forms.TypedChoiceField(label=_("Team or unit"), coerce=int, required=False)
    metric = forms.ChoiceField(label=_("Metric"))
    kind = forms.ChoiceField(label=_("Kind"), choices=GOAL_KINDS, initial="standard")
    period_kind = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, initial="month")
    period = forms.CharField(
        label=_("Which period"),
        max_length=12,
        help_text=_("e.g. 2026-12, 2026-W49 or 2026-Q4"),
    )
    target = forms.DecimalField(label=_("Target"), min_value=0, max_value=MAX_TARGET)
    stretch_percent = forms.DecimalField(
        label=_("Stretch tier, percent of the goal"),
        min_value=101,
        max_value=500,
        required=False,
        help_text=_(
            "For a stretch tier: this percent of the rep's standard goal of the same metric "
            "and period (125 % when empty); the target above is not used."
        ),
    )
    priority = forms.IntegerField(label=_("Priority"), min_value=1, max_value=99, initial=5)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        units: list[tuple[int, str]],
        cal: planning.WorkCalendar,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cal = cal
        self.fields["person"].choices = [("", "—"), *people]
        self.fields["unit"].choices = [("", "—"), *units]
        self.fields["metric"].choices = metric_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assign = data.get("assign_to")
        if assign == "person" and not data.get("person"):
            self.add_error("person", _("Choose the person."))
        if assign in ("team", "unit") and not data.get("unit"):
            self.add_error("unit", _("Choose the team or unit."))
        if data.get("kind") in ("collective", "competition") and assign == "person":
            self.add_error("kind", _("Collective and competition goals belong to a team."))
        if data.get("kind") == "stretch" and assign == "unit":
            self.add_error("kind", _("A stretch tier is for people."))
        text = data.get("period")
        if text:
            try:
                period = planning.parse_period(text, self.cal)
            except ValueError as error:
                self.add_error("period", str(error))
            else:
                if period.kind != data.get("period_kind"):
                    self.add_error("period", _("That is not a period of the chosen kind."))
                data["period_obj"] = period
        return data


class WaterfallForm(forms.Form):
    """M2: step a person's (or a unit's) weekly or monthly target up from a baseline."""

    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False)
    unit = forms.TypedChoiceField(label=_("Or a team or unit"), coerce=int, required=False)
    metric = forms.ChoiceField(label=_("Metric"))
    baseline = forms.DecimalField(label=_("From"), min_value=0, max_value=MAX_TARGET)
    target = forms.DecimalField(label=_("To"), min_value=0, max_value=MAX_TARGET)
    step = forms.DecimalField(label=_("Step by"), min_value=0, required=False)
    percent = forms.DecimalField(label=_("Or by percent"), min_value=0, required=False)
    steps = forms.IntegerField(label=_("Or in steps"), min_value=1, max_value=52, required=False)
    every = forms.ChoiceField(
        label=_("Every"), choices=[("week", _("Week")), ("month", _("Month"))]
    )
    start = forms.DateField(label=_("First step starts"))

    def __init__(
        self, *args: Any, people: list[tuple[int, str]], units: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *people]
        self.fields["unit"].choices = [("", "—"), *units]
        self.fields["metric"].choices = metric_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("unit")):
            raise forms.ValidationError(_("Choose one person or one unit."))
        given = [k for k in ("step", "percent", "steps") if data.get(k) is not None]
        if len(given) != 1:
            raise forms.ValidationError(_("Give exactly one of: step, percent, number of steps."))
        return data


class FunnelForm(forms.Form):
    """M4: the activities a revenue goal takes, from the rep's own funnel."""

    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    revenue = forms.DecimalField(label=_("Revenue goal"), min_value=1, max_value=MAX_TARGET)
    period = forms.CharField(label=_("Month"), max_length=7, help_text=_("e.g. 2026-12"))
    deal_size = forms.DecimalField(
        label=_("Average deal size"), min_value=1, required=False, max_value=MAX_TARGET
    )
    demo_to_deal = forms.DecimalField(
        label=_("Demos that become deals, %"), min_value=1, max_value=100, required=False
    )
    call_to_demo = forms.DecimalField(
        label=_("Calls that become demos, %"), min_value=1, max_value=100, required=False
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people

    def clean_period(self) -> planning.Period:
        try:
            period = planning.parse_period(self.cleaned_data["period"], planning.WorkCalendar())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if period.kind != "month":
            raise forms.ValidationError(_("Give a month, e.g. 2026-12."))
        return period

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rates = [data.get("demo_to_deal"), data.get("call_to_demo")]
        if any(r is not None for r in rates) and None in rates:
            raise forms.ValidationError(_("Give both rates, or neither to use the history."))
        return data

    def given_rates(self) -> list[str] | None:
        d = self.cleaned_data
        if d.get("demo_to_deal") is None:
            return None
        return [f"demo:deal={d['demo_to_deal'] / 100}", f"call:demo={d['call_to_demo'] / 100}"]


SEASONALITY = [("flat", _("Flat: every month alike")), ("learned", _("Learned from history"))]


class PlanForm(forms.Form):
    """M1: a cascade scenario of the annual target."""

    name = forms.SlugField(label=_("Scenario name"), max_length=100)
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    annual_target = forms.DecimalField(
        label=_("Annual target"), min_value=0, max_value=MAX_TARGET, decimal_places=2
    )
    seasonality = forms.ChoiceField(label=_("Seasonality"), choices=SEASONALITY)
    ramp = forms.CharField(
        label=_("Ramp of new hires, % by month of tenure"), initial="0,25,50,75,100"
    )
    over_assign = forms.DecimalField(
        label=_("Over-assignment"),
        min_value=1,
        max_value=2,
        initial=Decimal("1.1"),
        # xgettext:no-python-format
        help_text=_("1.1: the reps' quotas add up to 110 % of their team's."),
    )
    drag_percent = forms.DecimalField(
        label=_("Training drag on teammates of a new hire, %"),
        min_value=0,
        max_value=100,
        initial=10,
    )
    drag_months = forms.IntegerField(label=_("for months"), min_value=0, max_value=12, initial=2)

    def clean_ramp(self) -> tuple[Decimal, ...]:
        try:
            steps = tuple(Decimal(p.strip()) / 100 for p in self.cleaned_data["ramp"].split(","))
        except (ArithmeticError, ValueError):
            raise forms.ValidationError(
                _("Percents separated by commas, e.g. 0,25,50,75,100.")
            ) from None
        if not steps or any(not 0 <= s <= 1 for s in steps):
            raise forms.ValidationError(_("Each percent must be from 0 to 100."))
        return steps


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Plan A"), coerce=int)
    b = forms.TypedChoiceField(label=_("Plan B"), coerce=int)
    changed = forms.BooleanField(label=_("Only lines that differ"), required=False)

    def __init__(self, *args: Any, plans: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = plans
        self.fields["b"].choices = plans


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
        widget=forms.Textarea({"rows": 3, "placeholder": "owner = Sales rep\namount = Value"}),
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
        widget=forms.Textarea({"rows": 2, "placeholder": "Discovery call = call\nNote = ignore"}),
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
        self.fields["team"].choices = units


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
        password = data.get("admin_password")
        if password and password != data.get("admin_password_again"):
            self.add_error("admin_password_again", _("The two passwords differ."))
        return data

    def setup_arguments(self) -> dict[str, Any]:
        """``org_setup``'s keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k != "admin_password_again"}
