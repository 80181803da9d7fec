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
    """A CSV or XLSX file of one kind of rows, with a CRM preset or a column mapping."""

    KINDS = [
        ("activities", _("Activities")),
        ("deals", _("Deals")),
        ("accounts", _("Accounts (customers)")),
        ("entries", _("Weekly numbers (manual entries)")),
        ("org", _("People and teams")),
    ]
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
    dry_run = forms.BooleanField(
        label=_("Preview only: check every row, save nothing"), required=False, initial=True
    )
    skip_bad = forms.BooleanField(
        label=_("Import the good rows even if some are bad"), required=False
    )

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


class TemplateForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    week = forms.DateField(label=_("A day of the week"))

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = units
