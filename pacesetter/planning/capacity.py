"""Selling capacity: how much of a fully productive rep a person or open seat is in a month.

Capacity is the weight the cascade uses to split a team's target, so it answers "what share
of a normal quota can this person carry this month", made of three parts:

* ramp — new people sell less while they learn (``RampSchedule``);
* proration — nobody sells on days they are not employed (working days, not calendar days);
* training drag — existing reps lose time while they train a newcomer to their team.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from itertools import pairwise

from .calendar import Period, WorkCalendar, working_day_count
from .errors import PlanningError
from .explain import Day, Explanation, Percent, Term, joined
from .money import as_decimal

FULL_CAPACITY = "capacity.full"
# Six places keep 12/21 working days honest while staying readable in explanations.
CAPACITY_QUANTUM = Decimal("0.000001")


@dataclass(frozen=True)
class RampSchedule:
    """Productivity by month of tenure: ``fractions[0]`` is the hire month; 1 after the end."""

    fractions: tuple[Decimal, ...] = (
        Decimal("0"),
        Decimal("0.25"),
        Decimal("0.5"),
        Decimal("0.75"),
        Decimal("1"),
    )

    def __post_init__(self) -> None:
        values = tuple(as_decimal(f, "ramp fraction") for f in self.fractions)
        for value in values:
            if not 0 <= value <= 1:
                raise PlanningError("capacity.ramp_range", value=value)
        # A dip would tell a rep to sell less in month 4 than in month 3: surely a typo.
        if any(later < earlier for earlier, later in pairwise(values)):
            raise PlanningError("capacity.ramp_down", values=[str(v) for v in values])
        object.__setattr__(self, "fractions", values)

    def factor(self, tenure_month: int) -> Decimal:
        """Productivity in month ``tenure_month`` (1 = hire month); 0 before hire."""
        if tenure_month < 1:
            return Decimal(0)
        if tenure_month > len(self.fractions):
            return Decimal(1)
        return self.fractions[tenure_month - 1]


DEFAULT_RAMP = RampSchedule()


@dataclass(frozen=True)
class TrainingDrag:
    """Each newcomer costs every existing teammate ``fraction`` of a full rep for ``months``."""

    fraction: Decimal
    months: int

    def __post_init__(self) -> None:
        fraction = as_decimal(self.fraction, "training drag fraction")
        if not 0 <= fraction <= 1:
            raise PlanningError("capacity.drag_fraction", value=fraction)
        if self.months < 0:
            raise PlanningError("capacity.drag_months", months=self.months)
        object.__setattr__(self, "fraction", fraction)


NO_DRAG = TrainingDrag(Decimal(0), 0)


@dataclass(frozen=True)
class Rep:
    """A person in a team; ``leave_date`` is their LAST working day (inclusive), if known."""

    id: str
    team_id: str
    hire_date: date
    leave_date: date | None = None

    def __post_init__(self) -> None:
        _check_member(self.id, self.hire_date, self.leave_date)


@dataclass(frozen=True)
class Seat:
    """A planned hire: a seat filled from the first day of ``start_month``."""

    id: str
    team_id: str
    start_month: date
    leave_date: date | None = None

    def __post_init__(self) -> None:
        if self.start_month.day != 1:
            raise PlanningError("capacity.seat_start", id=self.id)
        _check_member(self.id, self.start_month, self.leave_date)

    @property
    def hire_date(self) -> date:
        """Seats are planned by month, so they are treated as hired on its first day."""
        return self.start_month


Member = Rep | Seat


def _check_member(member_id: str, start: date, leave: date | None) -> None:
    if not member_id:
        raise PlanningError("capacity.no_id")
    if leave is not None and leave < start:
        raise PlanningError("capacity.leaves_first", id=member_id, leave=leave, start=start)


@dataclass(frozen=True)
class Capacity:
    """A member's capacity in one month and the reason, e.g. ``ramp month 3 (0.50)``."""

    value: Decimal
    reason: Explanation

    @property
    def full(self) -> bool:
        """Nothing to say: a fully productive month."""
        return self.reason.code == FULL_CAPACITY


def tenure_month(member: Member, month: Period) -> int:
    """1 in the hire month, 2 in the next; 0 or less before hire."""
    hired = member.hire_date
    return (month.start.year - hired.year) * 12 + month.start.month - hired.month + 1


def capacity(
    member: Member,
    month: Period,
    cal: WorkCalendar,
    ramp: RampSchedule = DEFAULT_RAMP,
    drag: TrainingDrag = NO_DRAG,
    teammates: Iterable[Member] = (),
) -> Capacity:
    """Share of a fully productive rep (0..1) that ``member`` is in ``month``.

    ``teammates`` may hold anyone; only newcomers to the member's team cause training drag.
    """
    if month.kind != "month":
        raise PlanningError(
            "capacity.not_a_month", kind=Term("period_kind", month.kind), label=month.label
        )
    start, leave = member.hire_date, member.leave_date
    if start >= month.end:
        return Capacity(Decimal(0), Explanation("capacity.not_started"))
    if leave is not None and leave < month.start:
        return Capacity(Decimal(0), Explanation("capacity.left", {"day": Day(leave, "iso")}))

    reasons: list[Explanation] = []
    tenure = tenure_month(member, month)
    ramp_factor = ramp.factor(tenure)
    if tenure <= len(ramp.fractions):
        reasons.append(
            Explanation("capacity.ramp", {"month": tenure, "factor": f"{ramp_factor:.2f}"})
        )

    worked, possible = _employed_days(start, leave, month, cal)
    if worked != possible:
        reasons.append(Explanation("capacity.prorated", {"worked": worked, "possible": possible}))

    lost = drag.fraction * _newcomers_training(member, month, drag, teammates)
    if lost:
        reasons.append(Explanation("capacity.drag", {"lost": Percent(lost, None)}))
    productive = max(Decimal(0), ramp_factor - lost)
    # Drag is subtracted before prorating: training takes the trainer's hours, not a share
    # of whatever the trainer would have sold.
    exact = Fraction(productive) * Fraction(worked, possible)
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        CAPACITY_QUANTUM, rounding=ROUND_HALF_EVEN
    )
    if lost > ramp_factor:
        reasons.append(Explanation("capacity.floored"))
    if not reasons:
        return Capacity(value, Explanation(FULL_CAPACITY))
    return Capacity(value, reasons[0] if len(reasons) == 1 else joined(reasons))


def _employed_days(
    start: date, leave: date | None, month: Period, cal: WorkCalendar
) -> tuple[int, int]:
    first = max(start, month.start)
    stop = month.end if leave is None else min(month.end, leave + timedelta(days=1))
    possible = working_day_count(month, cal)
    if possible == 0:
        # A month without working days still has people in it: fall back to calendar days
        # so a full-month employee counts as full rather than as a division by zero.
        return (stop - first).days, (month.end - month.start).days
    return working_day_count((first, stop), cal), possible


def _newcomers_training(
    member: Member, month: Period, drag: TrainingDrag, teammates: Iterable[Member]
) -> int:
    if not drag.months or not drag.fraction:
        return 0
    member_index = _month_index(member.hire_date)
    this_index = _month_index(month.start)
    count = 0
    for other in teammates:
        if other.team_id != member.team_id or other.id == member.id:
            continue
        arrives = _month_index(other.hire_date)
        # Only people already there train the newcomer; same-month hires learn together.
        if arrives > member_index and arrives <= this_index < arrives + drag.months:
            count += 1
    return count


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
