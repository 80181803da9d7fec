"""The status of many goals at once: achieved, on track, at risk or behind their pace.

An org-wide dashboard judges twenty thousand goals that share a handful of (metric, period)
pairs. Everything that depends only on the metric, the period and the day (the pace clock,
the rules) is worked out once; the goals are then judged column by column — targets and
actuals in integer cents, in plain loops over lists — without an object per goal.

The figures are exactly those of ``pace.expected_to_date`` and ``pace.projected_end`` (half
up to the cent) and of the per-goal judge in ``tracking.progress`` (tested against both).
Cumulative metrics (counts, sums) are paced; level metrics (rates, medians, coverage) are
compared with the target itself, since half a month does not halve a rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ACHIEVED, ON_TRACK, AT_RISK, BEHIND = "achieved", "on_track", "at_risk", "behind"


@dataclass(frozen=True, slots=True)
class Clock:
    """A period on a day: the share of its working days gone, the working days left (today
    included) and whether it is over."""

    elapsed: Fraction
    remaining: int
    over: bool


@dataclass(frozen=True, slots=True)
class Rules:
    """How a metric's goals are judged. ``on_track`` and ``at_risk`` are percents of the
    expected-to-date value (the org's thresholds)."""

    lower_is_better: bool
    whole_units: bool  # counts: pace expects whole units (nobody shares 3/4 of an article)
    money: bool  # needed per day to the cent (rounded up); otherwise in whole units
    on_track: int
    at_risk: int


@dataclass(slots=True)
class Paced:
    """Cumulative goals judged, one entry per goal in the order given. Amounts in cents."""

    status: list[str]
    expected: list[int]
    projected: list[int | None]  # None before any working day has gone
    needed: list[int | None]  # per working day left; None when nothing is needed


def expected_cents(target: int, elapsed: Fraction, whole_units: bool) -> int:
    """Expected to date, in cents: the target times the share gone, half up to the cent
    (whole units, rounded down, for counts)."""
    cents = _half_up(target * elapsed.numerator, elapsed.denominator)
    return cents // 100 * 100 if whole_units else cents


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator ÷ denominator`` (a positive one) to a whole number, ties away from zero
    (Decimal's ROUND_HALF_UP: a refund's −2.5 cents is −3)."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def judge_cumulative(
    targets: Sequence[int], actuals: Sequence[int | None], clock: Clock, rules: Rules
) -> Paced:
    """Judge goals of a count or a sum: ``targets`` and ``actuals`` in cents (an actual of
    None: no data)."""
    n, d = clock.elapsed.numerator, clock.elapsed.denominator
    over, remaining, whole = clock.over, clock.remaining, rules.whole_units
    expected_of: dict[int, int] = {}  # targets repeat: a few hundred distinct in thousands
    expected: list[int] = []
    for target in targets:
        found = expected_of.get(target)
        if found is None:
            found = expected_of[target] = expected_cents(target, clock.elapsed, whole)
        expected.append(found)
    projected: list[int | None] = [None] * len(actuals)
    if n:  # the run rate so far, to the end: half up (inline: thousands of goals)
        twice = 2 * n
        projected = [
            (2 * a * d + n) // twice if a >= 0 else _half_up(a * d, n)
            for a in (a or 0 for a in actuals)
        ]
    if rules.lower_is_better:
        status = _lower(targets, actuals, expected, over, rules.at_risk)
        needed: list[int | None] = [None] * len(status)
    else:
        status = _higher(actuals, targets, expected, over, rules)
        needed = _needed(targets, actuals, status, remaining, rules.money)
    return Paced(status, expected, projected, needed)


def _higher(
    actuals: Sequence[int | None],
    targets: Sequence[int],
    expected: Sequence[int],
    over: bool,
    rules: Rules,
) -> list[str]:
    """Higher is better: the target reached, else the share of what is expected by now."""
    on_track, at_risk = rules.on_track, rules.at_risk
    status: list[str] = []
    add = status.append
    for actual, target, due in zip(actuals, targets, expected, strict=True):
        if actual is None:
            add(BEHIND if over else ON_TRACK)
        elif actual >= target:
            add(ACHIEVED)
        elif over:
            add(BEHIND)
        elif due == 0 or actual * 100 >= on_track * due:
            add(ON_TRACK)
        else:
            add(AT_RISK if actual * 100 >= at_risk * due else BEHIND)
    return status


def _lower(
    targets: Sequence[int],
    actuals: Sequence[int | None],
    expected: Sequence[int],
    over: bool,
    at_risk: int,
) -> list[str]:
    """Lower is better: at most what is allowed by now, with the at-risk slack above it;
    past the target (or over it when the period ends) is behind."""
    slack = 200 - at_risk  # percent of the allowance: 2 − 75 % = 125 %
    status: list[str] = []
    add = status.append
    for actual, target, due in zip(actuals, targets, expected, strict=True):
        if actual is None:
            add(BEHIND if over else ON_TRACK)
        elif actual > target:
            add(BEHIND)
        elif over:
            add(ACHIEVED)
        elif actual <= due:
            add(ON_TRACK)
        else:
            add(AT_RISK if actual * 100 <= due * slack else BEHIND)
    return status


def _needed(
    targets: Sequence[int],
    actuals: Sequence[int | None],
    status: Sequence[str],
    remaining: int,
    money: bool,
) -> list[int | None]:
    """What each goal not achieved yet needs per working day left: cents rounded up for
    money, whole units (in cents) rounded up otherwise."""
    if not remaining:
        return [None] * len(status)
    step = remaining if money else remaining * 100
    needed: list[int | None] = []
    add = needed.append
    for target, actual, judged in zip(targets, actuals, status, strict=True):
        if judged == ACHIEVED:
            add(None)
        else:
            gap = target - (actual or 0)
            add(-(-gap // step) * (step // remaining))
    return needed


def judge_levels(
    targets: Sequence[Decimal],
    actuals: Sequence[Decimal | None],
    over: bool,
    rules: Rules,
) -> list[str]:
    """Judge goals of a level metric (a rate, a median, coverage) against the target itself:
    met, or within the thresholds' share of it."""
    on_track = Decimal(rules.on_track) / 100
    at_risk = Decimal(rules.at_risk) / 100
    slack = 2 - at_risk
    lower = rules.lower_is_better
    status: list[str] = []
    add = status.append
    for actual, target in zip(actuals, targets, strict=True):
        if actual is None:
            add(BEHIND if over else ON_TRACK)
        elif lower:
            if over:
                add(ACHIEVED if actual <= target else BEHIND)
            elif actual <= target:
                add(ON_TRACK)
            else:
                add(AT_RISK if actual <= target * slack else BEHIND)
        elif actual >= target:
            add(ACHIEVED if over else ON_TRACK)
        elif over:
            add(BEHIND)
        else:
            ratio = actual / target if target else Decimal(0)
            add(ON_TRACK if ratio >= on_track else AT_RISK if ratio >= at_risk else BEHIND)
    return status
