"""Plans: a cascade scenario, and two plans compared."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pacesetter import planning
from pacesetter.web.forms.common import MAX_TARGET, choice_field, read_period

SEASONALITY = [("flat", _("Flat: every month alike")), ("learned", _("Learned from history"))]


class PlanForm(forms.Form):
    """M1: a cascade scenario of the annual target."""

    name = forms.SlugField(
        label=_("Scenario name"),
        max_length=100,
        help_text=_("Letters, digits, - and _, e.g. stretch-2027"),
        error_messages={
            "invalid": _("Use letters, digits, - and _ (no spaces), e.g. stretch-2027.")
        },
    )
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
        choice_field(self, "a").choices = plans
        choice_field(self, "b").choices = plans


class ReopenForm(forms.Form):
    """An ended period re-opened, so that its goals may change again, with the reason."""

    period = forms.CharField(
        label=_("Period"), max_length=12, help_text=_("e.g. 2026-08, 2026-Q3 or 2026-W33")
    )
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args: Any, cal: planning.WorkCalendar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cal = cal

    def clean_period(self) -> planning.Period:
        kinds = ("month", "quarter", "week", "year")
        return read_period(self.cleaned_data["period"], self.cal, kinds)
