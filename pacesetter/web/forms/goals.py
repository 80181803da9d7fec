"""Goals: a goal's new target, a check-in, a new goal, a waterfall, a reverse funnel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.web.forms.common import MAX_TARGET, choice_field, metric_choices, read_period
from pacesetter.web.labels import KIND_LABELS

SCORES = [(i, str(i)) for i in range(1, 6)]


class TargetForm(forms.Form):
    """A goal's new target, based on the version of the goal the page showed."""

    target = forms.DecimalField(
        label=_("New target"), min_value=0, max_value=MAX_TARGET, decimal_places=2
    )
    priority = forms.IntegerField(label=_("Priority"), min_value=1, max_value=99)
    reason = forms.CharField(label=_("Why"), max_length=300)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def based_on(self, version: int) -> TargetForm:
        """The same form, now based on ``version`` (after a refused stale edit, saving again
        applies the change on top of what changed meanwhile)."""
        data = {key: self.data.get(key) for key in self.fields}
        data["version"] = str(version)
        form = TargetForm(data, initial=self.initial)
        form.full_clean()
        return form


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
        choice_field(self, "person").choices = [("", "—"), *people]
        choice_field(self, "unit").choices = [("", "—"), *units]
        choice_field(self, "metric").choices = metric_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean gives its cleaned_data
        assign = data.get("assign_to")
        if assign == "person" and not data.get("person"):
            self.add_error("person", _("Choose the person."))
        if assign in ("team", "unit") and not data.get("unit"):
            self.add_error("unit", _("Choose the team or unit."))
        if data.get("kind") in ("collective", "competition") and assign == "person":
            self.add_error("kind", _("Collective and competition goals belong to a team."))
        if data.get("kind") == "stretch" and assign == "unit":
            self.add_error("kind", _("A stretch tier is for people."))
        text, kind = data.get("period"), data.get("period_kind")
        if text:
            kinds = (kind,) if kind else tuple(k for k, _label in PERIOD_KINDS)
            try:  # the error says how to write a period of the chosen kind, as the hint does
                data["period_obj"] = read_period(text, self.cal, kinds)
            except forms.ValidationError as error:
                self.add_error("period", error)
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
        choice_field(self, "person").choices = [("", "—"), *people]
        choice_field(self, "unit").choices = [("", "—"), *units]
        choice_field(self, "metric").choices = metric_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean gives its cleaned_data
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
        choice_field(self, "person").choices = people

    def clean_period(self) -> planning.Period:
        return read_period(self.cleaned_data["period"], planning.WorkCalendar(), ("month",))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean gives its cleaned_data
        rates = [data.get("demo_to_deal"), data.get("call_to_demo")]
        if any(r is not None for r in rates) and None in rates:
            raise forms.ValidationError(_("Give both rates, or neither to use the history."))
        return data

    def given_rates(self) -> list[str] | None:
        d = self.cleaned_data
        if d.get("demo_to_deal") is None:
            return None
        return [f"demo:deal={d['demo_to_deal'] / 100}", f"call:demo={d['call_to_demo'] / 100}"]
