"""Why the planning core refuses its input, as data: ``PlanningError(code, **params)``.

A ``PlanningError`` is a ``ValueError`` whose ``str()`` is the English sentence (commands and
logs print it as before) and whose ``explanation`` is an ``Explanation`` with the same code and
parameters, which the layer that knows the reader's language renders in it
(``pacesetter.explanations.message_of``): a form shows "年度目标不能为负数" where the command
says "annual target must not be negative".

``MESSAGES`` holds each code's English sentence with named placeholders. The core has no
Django: ``gettext_noop`` only marks the sentences for ``makemessages``, and
``pacesetter.explanations`` translates them. Parameters are shown as they are: plain text and
numbers as the English sentence writes them (``str``), a ``Term`` by its English word, a
nested explanation (the reason of an inner error) by its own message.
"""

from __future__ import annotations

from typing import Any

from .explain import Explanation, Term


def gettext_noop(message: str) -> str:
    """``message`` itself: marks it for translation (``makemessages`` looks for this name)."""
    return message


MESSAGES: dict[str, str] = {
    # calendar
    "calendar.week_start": gettext_noop(
        "week_start must be 0 (Monday) to 6 (Sunday), got %(value)s"
    ),
    "calendar.fiscal_start": gettext_noop("fiscal_year_start_month must be 1 to 12, got %(value)s"),
    "calendar.weekdays": gettext_noop("working_weekdays must be within 0..6, got %(value)s"),
    "calendar.period_kind": gettext_noop("period kind must be one of %(kinds)s, got %(kind)s"),
    "calendar.period_empty": gettext_noop("period %(label)s must end after it starts"),
    "calendar.quarter": gettext_noop("quarter must be 1 to 4, got %(quarter)s"),
    "calendar.week": gettext_noop("week-year %(year)s has weeks 1 to %(last)s, got week %(week)s"),
    "calendar.bad_label": gettext_noop("bad period label %(text)s: %(reason)s"),
    "calendar.label_help": gettext_noop(
        "expected 2027, FY2027, 2027-Q3, FY2027-Q1, 2027-05, 2027-W14 or 2027-05-03"
    ),
    "calendar.span": gettext_noop("span ends (%(end)s) before it starts (%(start)s)"),
    "calendar.out_of_range": gettext_noop(
        "%(day)s moved by %(months)s months falls outside the calendar (years 1 to 9999)"
    ),
    # money
    "money.type": gettext_noop("%(what)s must be a Decimal, int or str, not %(type)s"),
    "money.not_a_number": gettext_noop("%(what)s is not a number: %(value)s"),
    "money.not_finite": gettext_noop("%(what)s must be a finite number, got %(value)s"),
    # allocation
    "allocation.not_whole": gettext_noop(
        "%(what)s %(amount)s is not a whole number of %(quantum)s"
    ),
    "allocation.negative_total": gettext_noop("total must not be negative, got %(total)s"),
    "allocation.negative_override": gettext_noop(
        "override for %(key)s must not be negative, got %(amount)s"
    ),
    "allocation.overrides_over": gettext_noop(
        "overrides add up to %(fixed)s, more than the total %(total)s they are taken from"
    ),
    "allocation.negative_weight": gettext_noop(
        "weight for %(key)s must not be negative, got %(weight)s"
    ),
    "allocation.nothing_takes_it": gettext_noop(
        "%(left)s is left after overrides but there is no other key to take it"
    ),
    # seasonality
    "seasonality.keys": gettext_noop("seasonality needs months 1..12 as keys, got %(keys)s"),
    "seasonality.count": gettext_noop("seasonality needs 12 monthly weights, got %(count)s"),
    "seasonality.negative": gettext_noop(
        "weight for month %(month)s must not be negative, got %(weight)s"
    ),
    "seasonality.all_zero": gettext_noop(
        "seasonality weights are all zero: no month would get any target"
    ),
    "seasonality.month": gettext_noop(
        "month must be 1..12, got %(month)s in (%(year)s, %(month)s)"
    ),
    "seasonality.negative_actual": gettext_noop(
        "actual for %(month)s must not be negative, got %(amount)s"
    ),
    "seasonality.no_year": gettext_noop(
        "no year of actuals has a positive total to learn seasonality from"
    ),
    # capacity
    "capacity.ramp_range": gettext_noop("ramp fractions must be between 0 and 1, got %(value)s"),
    "capacity.ramp_down": gettext_noop("ramp must not go down, got %(values)s"),
    "capacity.drag_fraction": gettext_noop("training drag fraction must be 0 to 1, got %(value)s"),
    "capacity.drag_months": gettext_noop(
        "training drag months must not be negative, got %(months)s"
    ),
    "capacity.seat_start": gettext_noop("seat %(id)s must start on the 1st of a month"),
    "capacity.no_id": gettext_noop("a rep or seat needs an id"),
    "capacity.leaves_first": gettext_noop("%(id)s leaves (%(leave)s) before starting (%(start)s)"),
    "capacity.not_a_month": gettext_noop(
        "capacity is computed per month, got a %(kind)s (%(label)s)"
    ),
    # org
    "org.unit_id": gettext_noop("a unit needs an id"),
    "org.unit_kind": gettext_noop("unit %(id)s: kind must be one of %(kinds)s, got %(kind)s"),
    "org.company_parent": gettext_noop("unit %(id)s: the company, and only it, has no parent"),
    "org.unit_twice": gettext_noop("unit id %(id)s is used twice"),
    "org.companies": gettext_noop("an org needs exactly one company unit, got %(count)s"),
    "org.no_parent": gettext_noop("unit %(id)s: parent %(parent)s does not exist"),
    "org.team_parent": gettext_noop("unit %(id)s: its parent %(parent)s is a team"),
    "org.member_twice": gettext_noop("rep/seat id %(id)s is used twice"),
    "org.not_a_team": gettext_noop("%(id)s: team %(team)s is not a team unit"),
    "org.cycle": gettext_noop("unit %(id)s is inside a cycle of parents"),
    # cascade and re-plan
    "cascade.not_a_year": gettext_noop("a cascade plans a year, got a %(kind)s (%(label)s)"),
    "plan.negative_annual": gettext_noop("annual target must not be negative, got %(annual)s"),
    "cascade.factor_level": gettext_noop("over-assignment applies to %(levels)s, not %(level)s"),
    "cascade.factor_positive": gettext_noop(
        "over-assignment for %(level)s must be more than 0, got %(factor)s"
    ),
    "cascade.missing_weights": gettext_noop("seasonality has no weight for months %(months)s"),
    "cascade.override_unknown": gettext_noop(
        "override %(key)s: there is no %(level)s %(name)s in the org"
    ),
    "cascade.override_negative": gettext_noop(
        "override %(key)s must not be negative, got %(amount)s"
    ),
    "cascade.override_month": gettext_noop(
        "override %(key)s: month %(month)s is not in the plan year"
    ),
    "cascade.company_year": gettext_noop(
        "the company's year is the annual target; override its months"
    ),
    "cascade.year_override_nowhere": gettext_noop(
        "year override %(amount)s for %(level)s %(name)s: it has no capacity in any month "
        "without its own override"
    ),
    "cascade.year_override": gettext_noop("year override for %(level)s %(name)s: %(error)s"),
    "cascade.company_months": gettext_noop("company month overrides: %(error)s"),
    "cascade.where": gettext_noop("%(month)s %(kind)s %(name)s"),
    "cascade.nobody_to_carry": gettext_noop(
        "%(where)s: %(amount)s to split but nobody below has capacity that month (not "
        "started, ramping at 0, or gone); give the month a seasonality weight of 0, an "
        "override, or add capacity"
    ),
    "cascade.where_error": gettext_noop("%(where)s: %(error)s"),
    "cascade.mixed_factors": gettext_noop(
        "%(kind)s %(name)s has both teams and units below it with different over-assignment "
        "factors; give 'unit' and 'team' the same factor"
    ),
    "replan.unknown_months": gettext_noop(
        "months %(months)s have no original target to take proportions from"
    ),
    # waterfall
    "waterfall.one_of": gettext_noop("give exactly one of step, percent or steps (got %(chosen)s)"),
    "waterfall.percent_from_zero": gettext_noop(
        "percent steps need a baseline above 0: 0 grows by no percent"
    ),
    "waterfall.step_down": gettext_noop("a step down must be under 100 percent, got %(rate)s"),
    "waterfall.steps_count": gettext_noop("steps must be at least 1, got %(count)s"),
    "waterfall.week_start": gettext_noop(
        "weekly steps must start on a %(weekday)s (the calendar's week start); %(day)s is a "
        "%(day_weekday)s"
    ),
    "waterfall.month_start": gettext_noop(
        "monthly steps must start on the 1st of a month, got %(day)s"
    ),
    "waterfall.every": gettext_noop("every must be 'week' or 'month', got %(every)s"),
    "waterfall.too_many": gettext_noop(
        "that would take %(count)s steps; at most %(max)s are allowed"
    ),
    "waterfall.negative": gettext_noop("%(what)s must not be negative, got %(value)s"),
    "waterfall.not_positive": gettext_noop("%(what)s must be more than 0, got %(value)s"),
    "waterfall.last_n": gettext_noop("last_n must be at least 1, got %(value)s"),
    "waterfall.baseline_count": gettext_noop(
        "a baseline of the last %(n)s periods needs %(n)s of them, got %(count)s"
    ),
    "waterfall.negative_target": gettext_noop("target for %(label)s would be negative (%(value)s)"),
    "waterfall.baseline_rate": gettext_noop(
        "baseline rate must be a percent from 0 to 100, got %(value)s"
    ),
    "waterfall.no_steps": gettext_noop("adaptive_next needs at least one step"),
    # funnel
    "funnel.bad_conversion": gettext_noop(
        "bad conversion %(text)s: expected from:to=rate, e.g. demo:deal=0.5"
    ),
    "funnel.not_chained": gettext_noop(
        "rate %(position)s (%(name)s) does not chain: it must lead into '%(stage)s', the stage "
        "the previous rate starts from"
    ),
    "funnel.stage_step": gettext_noop("%(from)s→%(to)s"),
    "funnel.missing_rate": gettext_noop("missing rate for stage %(name)s"),
    "funnel.rate_not_positive": gettext_noop(
        "rate for stage %(name)s must be more than 0, got %(rate)s"
    ),
    "funnel.rate_over_one": gettext_noop(
        "rate for stage %(name)s must be a fraction up to 1 (0.5 for 50 %%), got %(rate)s"
    ),
    "funnel.stage_twice": gettext_noop("stage %(stage)s appears twice in the funnel"),
    "funnel.negative_revenue": gettext_noop("revenue must not be negative, got %(amount)s"),
    "funnel.deal_size": gettext_noop("average deal size must be more than 0, got %(size)s"),
    "funnel.periods": gettext_noop("periods must be at least 1, got %(periods)s"),
    "funnel.credibility": gettext_noop("full_credibility_n must be at least 1, got %(value)s"),
    "funnel.observations": gettext_noop("n_observations must not be negative, got %(value)s"),
    "funnel.no_team_deal_size": gettext_noop(
        "the team's average deal size is needed as the fallback"
    ),
    "funnel.unknown_own": gettext_noop("own rates %(rates)s have no team rate to blend with"),
    # breakdown, pace, stretch, realism, scorecard
    "breakdown.no_working_day": gettext_noop("%(period)s has no working day to carry %(amount)s"),
    "breakdown.month_labels": gettext_noop(
        "by_quarter expects month labels like 2027-05, got %(label)s"
    ),
    "pace.elapsed": gettext_noop("elapsed fraction must be between 0 and 1, got %(value)s"),
    "stretch.negative_goal": gettext_noop("goal target must not be negative, got %(target)s"),
    "stretch.not_above": gettext_noop(
        "a stretch tier must be above 100 %% of the goal, got %(share)s %%"
    ),
    "stretch.required_periods": gettext_noop("required_periods must be at least 1, got %(value)s"),
    "realism.period_kind": gettext_noop("no history rule for periods of kind %(kind)s"),
    "realism.negative_capacity": gettext_noop("capacity must not be negative, got %(capacity)s"),
    "realism.thresholds": gettext_noop(
        "the unlikely threshold (%(low)s %%) is above the too-easy one"
    ),
    "scorecard.priority": gettext_noop("priority must be 1 or more, got %(priority)s (%(label)s)"),
    "scorecard.priorities": gettext_noop("priorities must be 1 or more, got %(priorities)s"),
    "scorecard.missing_weight": gettext_noop("no weight given for %(labels)s"),
    "scorecard.negative_weights": gettext_noop("weights must not be negative"),
    "scorecard.zero_weights": gettext_noop("at least one weight must be more than 0"),
    "scorecard.count": gettext_noop("%(scores)s scores but %(weights)s weights"),
}


class PlanningError(ValueError):
    """Input the planning core refuses: ``str()`` is the English sentence, ``explanation``
    the code and parameters to say it in the reader's language."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.explanation = Explanation(code, {k: _param(v) for k, v in params.items()})
        super().__init__(english(self.explanation))


def cause(error: Exception) -> Explanation | Term:
    """An inner error as a parameter of the one that reports it: its explanation, or its
    text as a word of the ``python_error`` vocabulary (an error from outside the core, e.g.
    ``date(2027, 2, 30)``'s "day is out of range for month", which the reader's language
    may know)."""
    if isinstance(error, PlanningError):
        return error.explanation
    return Term("python_error", str(error))


def english(e: Explanation) -> str:
    """An error's explanation in English (a code without a message: its plain form)."""
    template = MESSAGES.get(e.code)
    if template is None:
        return str(e)
    return template % {name: _english(value) for name, value in e.params.items()}


def _english(value: Any) -> str:
    if isinstance(value, Explanation):
        return english(value)
    if isinstance(value, Term):
        return value.fallback or value.key
    return str(value)


def _param(value: Any) -> Any:
    """Parameters stay what the sentence shows: text and whole numbers, words of a vocabulary
    and explanations as they are; anything else (a Decimal, a list) as the English writes it."""
    if isinstance(value, str | int | Explanation | Term):
        return value
    return str(value)
