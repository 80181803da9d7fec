"""M3: sequenced goals and the scorecard — which goals were met, in priority order, and a score.

A rep's goals carry a priority (1 = most important). A scorecard lists them in that order
and answers the questions a sales manager asks at the end of a month:

* **Were the top priorities met?** The top priority is the lowest priority number on the
  card; every goal at that number must be met. A miss there is flagged however well the
  rest went — that is the point of sequencing goals.
* **How far down the list did the rep get?** ``reached`` counts the priority levels met in
  order before the first level that was not (missed, or still open).
* **A weighted score.** Each goal weighs ``1 / priority``, normalised so the weights add
  up to 1: priority 1 counts twice as much as priority 2 and three times as much as
  priority 3. Explicit weights (e.g. from an incentive plan) replace them when given.
  A goal earns its attainment as credit, capped at 100 % (beating one goal does not make
  up for missing another) and floored at 0; a goal without data earns nothing.

Sequenced scoring (``sequenced=True``): a goal earns credit only once every goal of a
higher priority is met — "e-mails count after revenue". The default does not gate: the
score then moves with every bit of effort, while the top-priority flag and ``reached``
already say, prominently, that the sequence was broken. Gating is there for incentive
rules that want it.

Also here: stretch-tier eligibility (M7) told with the months it rests on — "met 100 % in
each of the last 3 months (Aug 104 %, Sep 112 %, Oct 100 %)" / "Sep at 82 %".
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from .errors import PlanningError
from .explain import Explanation, Items, Term
from .money import Number, as_decimal
from .stretch import Eligibility, eligible

HUNDRED = Decimal(100)
SCORE_QUANTUM = Decimal("0.1")


@dataclass(frozen=True)
class ScoreLine:
    """One goal as the scorecard needs it.

    ``attainment`` is the percent of the target reached (None: no data); ``met`` is True
    when the goal was met, False when it was missed, None while it is still open.
    ``counts=False`` shows a line without scoring it (a stretch tier is rewarded apart).
    """

    key: Hashable
    label: str | Explanation
    priority: int
    attainment: Decimal | None
    met: bool | None = None
    counts: bool = True
    note: str | Explanation = ""

    def __post_init__(self) -> None:
        if self.priority < 1:
            raise PlanningError("scorecard.priority", priority=self.priority, label=str(self.label))


@dataclass(frozen=True)
class ScoredLine:
    """A line with its normalised weight, its credit (0..1) and the points it earned."""

    line: ScoreLine
    weight: Fraction
    credit: Fraction
    unlocked: bool  # every goal of a higher priority is met

    @property
    def points(self) -> Fraction:
        return self.weight * self.credit

    @property
    def weight_percent(self) -> Decimal:
        return _percent(self.weight)

    @property
    def credit_percent(self) -> Decimal:
        return _percent(self.credit)

    @property
    def points_percent(self) -> Decimal:
        return _percent(self.points)


@dataclass(frozen=True)
class PeriodScore:
    """The scored lines of one period, in priority order, and what they add up to."""

    lines: tuple[ScoredLine, ...]
    score: Decimal | None  # percent, one decimal; None when no line counts
    top_priority: int | None
    top_met: bool | None  # True: all met; False: one missed; None: still open (or none)
    reached: int  # priority levels met in order before the first one that is not
    levels: int  # how many distinct priority levels count
    sequenced: bool = False

    @property
    def top_missed(self) -> tuple[ScoreLine, ...]:
        """The top-priority lines that were missed (the flag a manager looks for first)."""
        return tuple(
            s.line
            for s in self.lines
            if s.line.counts and s.line.priority == self.top_priority and s.line.met is False
        )

    @property
    def all_met(self) -> bool:
        return self.levels > 0 and self.reached == self.levels


def credit(attainment: Decimal | None) -> Fraction:
    """Attainment as credit: 0 without data, capped at 1 (100 %), never below 0."""
    if attainment is None:
        return Fraction(0)
    value = Fraction(as_decimal(attainment, "attainment")) / 100
    return min(Fraction(1), max(Fraction(0), value))


def priority_weights(priorities: Sequence[int]) -> list[Fraction]:
    """``1 / priority`` for each, normalised to add up to 1 (empty in, empty out)."""
    if any(p < 1 for p in priorities):
        raise PlanningError("scorecard.priorities", priorities=list(priorities))
    raw = [Fraction(1, p) for p in priorities]
    total = sum(raw, Fraction(0))
    return [w / total for w in raw] if total else []


def score_period(
    lines: Sequence[ScoreLine],
    *,
    weights: Mapping[Hashable, Number] | None = None,
    sequenced: bool = False,
) -> PeriodScore:
    """Order ``lines`` by priority (stable), weigh them and add up their credit.

    ``weights`` (by line key) replace the priority weights; they must cover every line
    that counts, be non-negative and not all zero. ``sequenced`` gates credit as the
    module docstring says.
    """
    ordered = sorted(lines, key=lambda line: line.priority)  # sorted() is stable
    counted = [line for line in ordered if line.counts]
    line_weights = iter(_weights(counted, weights))
    levels = sorted({line.priority for line in counted})
    reached, open_from = 0, None
    for level in levels:
        if all(line.met is True for line in counted if line.priority == level):
            reached += 1
        else:
            open_from = level
            break
    scored = []
    for line in ordered:
        unlocked = open_from is None or line.priority <= open_from
        if not line.counts:
            scored.append(ScoredLine(line, Fraction(0), credit(line.attainment), unlocked))
            continue
        earned = credit(line.attainment) if unlocked or not sequenced else Fraction(0)
        scored.append(ScoredLine(line, next(line_weights), earned, unlocked))
    top = levels[0] if levels else None
    top_lines = [line for line in counted if line.priority == top]
    if not top_lines:
        top_met = None
    elif any(line.met is False for line in top_lines):
        top_met = False
    elif all(line.met is True for line in top_lines):
        top_met = True
    else:
        top_met = None
    total = sum((s.points for s in scored if s.line.counts), Fraction(0))
    return PeriodScore(
        tuple(scored),
        _percent(total) if counted else None,
        top,
        top_met,
        reached,
        len(levels),
        sequenced,
    )


def _weights(
    counted: Sequence[ScoreLine], given: Mapping[Hashable, Number] | None
) -> list[Fraction]:
    """The normalised weight of each counted line, in order."""
    if given is None:
        return priority_weights([line.priority for line in counted])
    missing = [str(line.label) for line in counted if line.key not in given]
    if missing:
        raise PlanningError("scorecard.missing_weight", labels=", ".join(missing))
    raw = [Fraction(as_decimal(given[line.key], "weight")) for line in counted]
    if any(w < 0 for w in raw):
        raise PlanningError("scorecard.negative_weights")
    total = sum(raw, Fraction(0))
    if counted and not total:
        raise PlanningError("scorecard.zero_weights")
    return [w / total for w in raw]


def combine_scores(
    scores: Sequence[Decimal | None], weights: Sequence[Number | Fraction] | None = None
) -> Decimal | None:
    """The average of the periods' scores that exist (weeks of a month without a monthly
    goal: each week counts the same, or by ``weights`` — a week that straddles two months
    weighs by its share in each); None when there is none or none weighs anything."""
    if weights is None:
        weights = [1] * len(scores)
    if len(weights) != len(scores):
        raise PlanningError("scorecard.count", scores=len(scores), weights=len(weights))
    present = [(Fraction(s), Fraction(w)) for s, w in zip(scores, weights, strict=True)
               if s is not None]  # fmt: skip
    if any(w < 0 for _, w in present):
        raise PlanningError("scorecard.negative_weights")
    total = sum((w for _, w in present), Fraction(0))
    if not total:
        return None
    return _percent(sum((s * w for s, w in present), Fraction(0)) / total / 100)


def _percent(share: Fraction) -> Decimal:
    exact = Decimal(share.numerator) * HUNDRED / Decimal(share.denominator)
    return exact.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


# --- M7: stretch eligibility, told by month ---------------------------------------------------


def stretch_eligibility(
    history: Sequence[tuple[object, Decimal | None]],
    *,
    required_periods: int = 3,
    threshold: Number = 100,
    period_word: str = "months",
) -> Eligibility:
    """Whether a stretch tier is offered this period, from ``(label, attainment %)`` of the
    previous periods, oldest first (None: there was no goal that period).

    Offered only when each of the last ``required_periods`` periods had a goal met at
    ``threshold`` % or more (the rule of ``planning.eligible``); the reason names the
    periods: "met 100 % in each of the last 3 months (Aug 104 %, Sep 112 %, Oct 100 %)",
    "Sep at 82 %", "no goal in Aug". A label may be text or an explanation's parameter
    (``explain.Month``, ``explain.Day``) that the reader's language names.
    """
    bar = as_decimal(threshold, "threshold")
    recent = list(history)[-required_periods:]
    periods = Term("periods", period_word)
    if len(recent) < required_periods:
        return Eligibility(
            False,
            Explanation(
                "stretch.short_history_of",
                {"have": len(recent), "periods": periods, "needed": required_periods},
            ),
        )
    without = tuple(label for label, value in recent if value is None)
    if without:
        return Eligibility(False, Explanation("stretch.no_goal_in", {"labels": Items(without)}))
    values = [as_decimal(v, "attainment") for _, v in recent if v is not None]
    verdict = eligible(values, required_periods=required_periods, threshold=bar)
    pairs = [(label, _whole(v), v) for (label, _), v in zip(recent, values, strict=True)]
    if verdict.eligible:
        shown = Items(
            tuple(Explanation("stretch.period", {"label": k, "value": w}) for k, w, _ in pairs)
        )
        return Eligibility(
            True,
            Explanation(
                "stretch.met_in",
                {"bar": bar, "needed": required_periods, "periods": periods, "shown": shown},
            ),
        )
    missed = tuple(
        Explanation("stretch.period_at", {"label": k, "value": w}) for k, w, v in pairs if v < bar
    )
    return Eligibility(False, Explanation("list", {"items": Items(missed)}))


def _whole(value: Decimal) -> Decimal:
    """Attainments in reasons are whole percents (82 %, not 82.4 %), rounded down so a
    99.6 % month never reads as 100 %."""
    return value.to_integral_value(rounding=ROUND_FLOOR)
