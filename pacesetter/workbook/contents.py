"""What a plan workbook holds, read from the plan in a fixed number of queries.

The export writes these numbers and the import checks an uploaded workbook against them,
so both sides agree on which rows a team sheet has and what its computed rows must say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pacesetter.goals.models import Plan, PlanLine
from pacesetter.org.models import Unit

ZERO = Decimal("0.00")


def person_row_key(person_id: int) -> str:
    return f"person-{person_id}"


def seat_row_key(seat_id: int) -> str:
    return f"seat-{seat_id}"


def line_key(line: PlanLine) -> str | None:
    """The key of the team-sheet row a person or seat line belongs to (None: a removed seat)."""
    if line.level == PlanLine.Level.PERSON:
        assert line.person_id is not None  # a person's line names them
        return person_row_key(line.person_id)
    return seat_row_key(line.seat_id) if line.seat_id is not None else None


@dataclass
class RepRow:
    """One rep (or planned hire) of a team sheet: their quota by month."""

    key: str
    name: str
    email: str
    person_id: int | None
    months: dict[dt.date, Decimal] = field(default_factory=dict)

    @property
    def year(self) -> Decimal:
        return sum(self.months.values(), ZERO)


@dataclass
class TeamRows:
    """A team's sheet: its reps, the quotas of removed hires, and the team's own target."""

    unit: Unit
    reps: list[RepRow]
    removed: dict[dt.date, Decimal]  # seat lines whose planned hire was deleted
    target: dict[dt.date, Decimal]

    def total(self, months: Iterable[dt.date]) -> dict[dt.date, Decimal]:
        """The reps' quotas added up, month by month (removed hires included)."""
        return {
            m: sum((r.months.get(m, ZERO) for r in self.reps), self.removed.get(m, ZERO))
            for m in months
        }

    def rep(self, key: str) -> RepRow | None:
        return next((r for r in self.reps if r.key == key), None)


@dataclass
class UnitRow:
    """A line of the overview: a unit's target by month, ``depth`` levels below the top."""

    unit: Unit
    level: str
    depth: int
    parent: Unit | None
    months: dict[dt.date, Decimal]


@dataclass
class PlanContents:
    plan: Plan
    months: list[dt.date]
    teams: list[TeamRows]
    units: list[UnitRow]

    def team(self, unit_id: int) -> TeamRows | None:
        return next((t for t in self.teams if t.unit.pk == unit_id), None)


def plan_contents(plan: Plan, unit_ids: Collection[int] | None = None) -> PlanContents:
    """The plan's lines of the units in ``unit_ids`` (None: the whole plan), arranged as
    the workbook shows them. Two queries, however many reps."""
    lines = plan.lines.select_related("unit", "person", "seat").order_by("month", "id")
    if unit_ids is not None:
        lines = lines.filter(unit_id__in=list(unit_ids))
    units: dict[int, Unit] = {}
    unit_months: dict[int, dict[dt.date, Decimal]] = {}
    unit_level: dict[int, str] = {}
    reps: dict[int, dict[str, RepRow]] = {}
    removed: dict[int, dict[dt.date, Decimal]] = {}
    months: set[dt.date] = set()
    for line in lines:
        months.add(line.month)
        units.setdefault(line.unit_id, line.unit)
        if line.level in (PlanLine.Level.PERSON, PlanLine.Level.SEAT):
            key = line_key(line)
            if key is None:
                team_removed = removed.setdefault(line.unit_id, {})
                team_removed[line.month] = team_removed.get(line.month, ZERO) + line.target
                continue
            team_reps = reps.setdefault(line.unit_id, {})
            row = team_reps.get(key)
            if row is None:
                row = team_reps[key] = _rep_row(line, key)
            row.months[line.month] = line.target
        else:
            unit_level[line.unit_id] = line.level
            unit_months.setdefault(line.unit_id, {})[line.month] = line.target
    ordered = _tree_order(units, unit_level)
    teams = [
        TeamRows(
            unit=units[unit_id],
            reps=sorted(reps.get(unit_id, {}).values(), key=_rep_order),
            removed=removed.get(unit_id, {}),
            target=unit_months[unit_id],
        )
        for unit_id, _depth, _parent in ordered
        if unit_level[unit_id] == PlanLine.Level.TEAM
    ]
    unit_rows = [
        UnitRow(units[uid], unit_level[uid], depth, parent, unit_months[uid])
        for uid, depth, parent in ordered
    ]
    return PlanContents(plan, sorted(months), teams, unit_rows)


def _rep_row(line: PlanLine, key: str) -> RepRow:
    if line.person is not None:
        return RepRow(key, line.person.full_name, line.person.email, line.person_id)
    seat = line.seat
    assert seat is not None  # a line is a person's or a planned hire's
    return RepRow(key, f"{seat.title} (hire from {seat.start_month:%Y-%m})", "", None)


def _rep_order(row: RepRow) -> tuple:
    # People by name first, then planned hires in the order they start.
    return (row.person_id is None, row.name.casefold(), row.key)


def _tree_order(
    units: dict[int, Unit], levels: dict[int, str]
) -> list[tuple[int, int, Unit | None]]:
    """The units that have a line of their own, parents before children, siblings by name.

    Depth counts only units shown, so a manager's workbook starts at their own unit.
    """
    all_parents = dict(Unit.objects.values_list("id", "parent_id"))
    shown = set(levels)

    def shown_parent(unit_id: int) -> int | None:
        parent = all_parents.get(unit_id)
        while parent is not None and parent not in shown:
            parent = all_parents.get(parent)
        return parent

    children: dict[int | None, list[int]] = {}
    for unit_id in shown:
        children.setdefault(shown_parent(unit_id), []).append(unit_id)
    ordered: list[tuple[int, int, Unit | None]] = []

    def visit(unit_id: int, depth: int, parent: int | None) -> None:
        ordered.append((unit_id, depth, units.get(parent) if parent is not None else None))
        for child in sorted(children.get(unit_id, []), key=lambda u: units[u].name.casefold()):
            visit(child, depth + 1, unit_id)

    for root in sorted(children.get(None, []), key=lambda u: units[u].name.casefold()):
        visit(root, 0, None)
    return ordered
