"""Forecast of a revenue goal at the end of its period, and its pipeline coverage.

    forecast = won to date
             + the run rate over the working days left (the pace projection less the won)
             + the open deals expected to close in the period × the win rate

A deal is expected to close on its CRM close date when it has one, else on its creation day
plus the median cycle time (creation to win). One that is already past that day is still
open, so it may close any day: it counts as closing today. The win rate and the cycle time
are the rep's own when the rep has enough history, else the team's.

Coverage is the open pipeline expected in the period (not weighted) ÷ what is still to win.

Pure arithmetic: the figures and their ``Explanation``s as data; the words come later.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .explain import Day, Explanation, Money, Percent
from .money import to_cents

# Own history needed before the rep's own figures are trusted over the team's.
MIN_CLOSED = 5  # closed deals (won or lost) for a win rate
MIN_WON = 3  # won deals with a creation day for a cycle time
OWN, TEAM, NONE = "own", "team", "none"
ZERO = Decimal(0)


@dataclass(frozen=True)
class DealHistory:
    """Deals closed in the look-back: how many won and lost, and the days each win took
    from creation (wins without a creation day have none)."""

    won: int = 0
    lost: int = 0
    cycle_days: tuple[int, ...] = ()

    @property
    def closed(self) -> int:
        return self.won + self.lost

    def __add__(self, other: DealHistory) -> DealHistory:
        return DealHistory(
            self.won + other.won, self.lost + other.lost, self.cycle_days + other.cycle_days
        )


@dataclass(frozen=True)
class OpenDeal:
    """An open deal: its amount, its creation day and the close date the CRM gave, if any."""

    amount: Decimal
    created: dt.date | None
    close_date: dt.date | None = None


@dataclass(frozen=True)
class Rate:
    """The win rate used (None: no closed deal to learn from) and why it is that one."""

    value: Fraction | None
    source: str
    why: Explanation


@dataclass(frozen=True)
class Cycle:
    """The median days from creation to win used (None: no win to learn from), and why."""

    days: int | None
    source: str
    why: Explanation


def win_rate(own: DealHistory, team: DealHistory, *, min_closed: int = MIN_CLOSED) -> Rate:
    """The rep's won ÷ closed when the rep closed at least ``min_closed`` deals, else the
    team's (its rate pools everyone's deals, the rep's included)."""
    if own.closed >= min_closed:
        why = Explanation("forecast.rate_own", {"won": own.won, "closed": own.closed})
        return Rate(Fraction(own.won, own.closed), OWN, why)
    if team.closed:
        why = Explanation(
            "forecast.rate_team",
            {"won": team.won, "closed": team.closed, "own": own.closed, "needed": min_closed},
        )
        return Rate(Fraction(team.won, team.closed), TEAM, why)
    return Rate(None, NONE, Explanation("forecast.rate_none"))


def cycle_time(own: DealHistory, team: DealHistory, *, min_won: int = MIN_WON) -> Cycle:
    """The median days from creation to win: the rep's own over at least ``min_won`` wins,
    else the team's; rounded to whole days (half up)."""
    if len(own.cycle_days) >= min_won:
        why = Explanation("forecast.cycle_own", {"deals": len(own.cycle_days)})
        return Cycle(_median(own.cycle_days), OWN, why)
    if team.cycle_days:
        why = Explanation(
            "forecast.cycle_team",
            {"deals": len(team.cycle_days), "own": len(own.cycle_days), "needed": min_won},
        )
        return Cycle(_median(team.cycle_days), TEAM, why)
    return Cycle(None, NONE, Explanation("forecast.cycle_none"))


def _median(days: Sequence[int]) -> int:
    middle = Decimal(str(statistics.median(days)))
    return int(middle.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expected_close(deal: OpenDeal, cycle_days: int | None, today: dt.date) -> dt.date | None:
    """When the deal is expected to close: its CRM close date, else creation + cycle time;
    never before today (a late deal is still open, so it may close any day). None when
    neither is known."""
    if deal.close_date is not None:
        day = deal.close_date
    elif deal.created is not None and cycle_days is not None:
        day = deal.created + dt.timedelta(days=cycle_days)
    else:
        return None
    return max(day, today)


@dataclass(frozen=True)
class Forecast:
    """The forecast at period end, its three parts, the pipeline coverage and the why."""

    won: Decimal
    run_rate: Decimal
    pipeline: Decimal  # weighted by the win rate
    total: Decimal
    open_amount: Decimal  # the open deals expected in the period, not weighted
    counted: int  # open deals expected in the period
    left_out: int  # open deals expected after it, or with no expected day
    remaining: Decimal  # still to win: target − won, never below 0
    coverage: Fraction | None  # open_amount ÷ remaining; None once nothing remains
    rate: Rate
    cycle: Cycle
    explanations: tuple[Explanation, ...]

    @property
    def coverage_ratio(self) -> Decimal | None:
        """Coverage to one decimal (2.4 for 2.4×)."""
        if self.coverage is None:
            return None
        ratio = Decimal(self.coverage.numerator) / Decimal(self.coverage.denominator)
        return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Outlook:
    """What the period looks like on ``today``: its end (the first day after it), the
    working days left (today included), the target, what is won and where the run rate
    ends (``projected``: None before the first working day has passed)."""

    today: dt.date
    period_end: dt.date
    days_left: int
    target: Decimal
    won: Decimal
    projected: Decimal | None


def forecast(
    outlook: Outlook, deals: Sequence[OpenDeal], rate: Rate, cycle: Cycle, currency: str = "$"
) -> Forecast:
    """The forecast of a revenue goal at its period's end (see the module's docstring)."""
    o = outlook
    run_rate = max(ZERO, o.projected - o.won) if o.projected is not None else ZERO
    counted = [
        d
        for d in deals
        if (day := expected_close(d, cycle.days, o.today)) is not None and day < o.period_end
    ]
    open_amount = sum((d.amount for d in counted), ZERO)
    share = rate.value if rate.value is not None else Fraction(0)
    pipeline = to_cents(Fraction(open_amount) * share)
    total = o.won + run_rate + pipeline
    remaining = max(ZERO, o.target - o.won)
    coverage = Fraction(open_amount) / Fraction(remaining) if remaining else None
    shown = _Shown(currency, Day(o.period_end - dt.timedelta(days=1), "day_month"))
    explanations = (
        Explanation(
            "forecast.total",
            {
                "total": shown.money(total),
                "won": shown.money(o.won),
                "run_rate": shown.money(run_rate),
                "days": o.days_left,
                "pipeline": shown.money(pipeline),
            },
        ),
        _pipeline_why(shown, pipeline, open_amount, len(counted), rate, cycle),
        *_left_out_why(shown, len(deals) - len(counted)),
        _coverage_why(shown, coverage, open_amount, remaining, o),
    )
    return Forecast(
        o.won, run_rate, pipeline, total, open_amount, len(counted), len(deals) - len(counted),
        remaining, coverage, rate, cycle, explanations,
    )  # fmt: skip


@dataclass(frozen=True)
class _Shown:
    currency: str
    last_day: Day

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency)


def _pipeline_why(
    shown: _Shown, pipeline: Decimal, amount: Decimal, count: int, rate: Rate, cycle: Cycle
) -> Explanation:
    return Explanation(
        "forecast.pipeline",
        {
            "pipeline": shown.money(pipeline),
            "amount": shown.money(amount),
            "deals": count,
            "last_day": shown.last_day,
            "rate": Percent(rate.value if rate.value is not None else Fraction(0), 1),
            "rate_why": rate.why,
            "cycle": cycle.days if cycle.days is not None else "—",
            "cycle_why": cycle.why,
        },
    )


def _left_out_why(shown: _Shown, left_out: int) -> tuple[Explanation, ...]:
    if not left_out:
        return ()
    return (Explanation("forecast.left_out", {"deals": left_out, "last_day": shown.last_day}),)


def _coverage_why(
    shown: _Shown, coverage: Fraction | None, amount: Decimal, remaining: Decimal, o: Outlook
) -> Explanation:
    if coverage is None:
        return Explanation("forecast.coverage_met", {"won": shown.money(o.won)})
    ratio = (Decimal(coverage.numerator) / Decimal(coverage.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return Explanation(
        "forecast.coverage",
        {"ratio": ratio, "amount": shown.money(amount), "remaining": shown.money(remaining),
         "target": shown.money(o.target), "won": shown.money(o.won)},
    )  # fmt: skip
