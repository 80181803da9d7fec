"""Team health at a glance: for each unit of a subtree, the share of its reps on pace, its
attainment to date against what was expected by now, and the trend since a week ago.

A rep is on pace when each of their top-priority goals running that day (the same
``OrgSettings.risk_top_goals`` as the risk list) is on track or achieved; goals still
waiting for evidence (``OrgSettings.risk_wait_share``) are left out, as the risk list
leaves them. Attainment and
expectation are the means, over those goals that are counts or sums where more is better,
of the actual and of the expected-to-date as a percent of the target. A unit's row counts
every rep in its subtree, so a region's row is the subtotal of its teams.

Nothing is read here: the callers hand in the progress they computed (one query per metric
and period for the whole subtree), today's and a week ago's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from pacesetter.org.models import Unit
from pacesetter.tracking.progress import ACHIEVED, ON_TRACK, GoalProgress
from pacesetter.tracking.risk import judged, top_goals

TREND_DAYS = 7
ONE = Decimal("0.1")


@dataclass(frozen=True)
class RepPace:
    """One rep on one day: on pace or not, and their attainment against expected."""

    on_pace: bool
    attainment: Decimal | None  # mean actual ÷ target, percent
    expected: Decimal | None  # mean expected-to-date ÷ target, percent


@dataclass(frozen=True)
class Health:
    """One unit's health: ``depth`` below the page's unit (0: the page's own, the total)."""

    unit: Unit
    depth: int
    reps: int
    on_pace: int
    attainment: Decimal | None
    expected: Decimal | None
    share_before: Decimal | None  # the share on pace a week ago

    @property
    def share(self) -> Decimal | None:
        """Percent of the reps on pace (None without reps judged)."""
        if not self.reps:
            return None
        return (Decimal(self.on_pace) * 100 / self.reps).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def trend(self) -> Decimal | None:
        """The change of the share on pace since a week ago, in points."""
        if self.share is None or self.share_before is None:
            return None
        return self.share - self.share_before

    @property
    def direction(self) -> str:
        """up, down or flat (for the arrow); empty without a trend."""
        trend = self.trend
        if trend is None:
            return ""
        return "up" if trend > 0 else "down" if trend < 0 else "flat"


def rep_paces(
    progress: Iterable[GoalProgress], day: dt.date, top: int, wait: Fraction = Fraction(0)
) -> dict[int, RepPace]:
    """Each rep's pace on ``day`` from their ``top`` goals running that day; goals with less
    than ``wait`` of their period gone wait for evidence (a rep with only such goals is not
    counted: a Monday would otherwise put every weekly goal on pace)."""
    by_person: dict[int, list[GoalProgress]] = defaultdict(list)
    for p in top_goals(progress, day, top):
        if p.elapsed < wait:
            continue
        assert p.goal.person_id is not None  # top goals are people's
        by_person[p.goal.person_id].append(p)
    paces = {}
    for person, goals in by_person.items():
        on_pace = all(p.status in (ON_TRACK, ACHIEVED) for p in goals)
        shares = [(p.actual or Decimal(0), p.expected, p.target) for p in goals if judged(p)]
        shares = [s for s in shares if s[2] > 0]
        if shares:
            attained = sum((a / t for a, _, t in shares), Decimal(0)) * 100 / len(shares)
            expected = sum((e / t for _, e, t in shares), Decimal(0)) * 100 / len(shares)
            paces[person] = RepPace(on_pace, attained.quantize(ONE), expected.quantize(ONE))
        else:
            paces[person] = RepPace(on_pace, None, None)
    return paces


def unit_health(
    root: Unit,
    units: list[Unit],
    team_of: dict[int, int],
    now: dict[int, RepPace],
    before: dict[int, RepPace],
) -> list[Health]:
    """One row per unit of ``root``'s subtree with reps (``units``: the subtree; ``team_of``:
    each rep's unit), depth first, names in order; a unit counts its whole subtree."""
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u)
    rows: list[Health] = []

    def visit(unit: Unit, depth: int) -> set[int]:
        mine = {p for p, u in team_of.items() if u == unit.pk}
        at = len(rows)
        for child in sorted(children[unit.pk], key=lambda u: u.name):
            mine |= visit(child, depth + 1)
        if mine & (set(now) | set(before)):
            rows.insert(at, _health(unit, depth, mine, now, before))
        return mine

    visit(root, 0)
    return rows


def _health(
    unit: Unit, depth: int, people: set[int], now: dict[int, RepPace], before: dict[int, RepPace]
) -> Health:
    paces = [now[p] for p in people if p in now]
    earlier = [before[p] for p in people if p in before]
    attained = [p.attainment for p in paces if p.attainment is not None]
    expected = [p.expected for p in paces if p.expected is not None]
    share_before = (
        (Decimal(sum(p.on_pace for p in earlier)) * 100 / len(earlier)).quantize(
            Decimal(1), ROUND_HALF_UP
        )
        if earlier
        else None
    )
    return Health(
        unit,
        depth,
        len(paces),
        sum(p.on_pace for p in paces),
        _mean(attained),
        _mean(expected),
        share_before,
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE) if values else None
