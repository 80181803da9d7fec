"""The org tree the cascade walks: company → regions/departments → teams → reps and seats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .capacity import Member, Rep
from .errors import PlanningError

UNIT_KINDS = ("company", "region", "department", "team")


@dataclass(frozen=True)
class Unit:
    """One node of the org tree; only the company has no parent, only teams hold people."""

    id: str
    name: str
    parent_id: str | None
    kind: str

    def __post_init__(self) -> None:
        if not self.id:
            raise PlanningError("org.unit_id")
        if self.kind not in UNIT_KINDS:
            raise PlanningError("org.unit_kind", id=self.id, kinds=UNIT_KINDS, kind=repr(self.kind))
        if (self.kind == "company") != (self.parent_id is None):
            raise PlanningError("org.company_parent", id=self.id)


@dataclass(frozen=True)
class Org:
    """A validated org tree; children and members come back sorted by id for determinism."""

    units: tuple[Unit, ...]
    members: tuple[Member, ...]
    _children: dict[str, tuple[Unit, ...]] = field(init=False, repr=False, compare=False)
    _members: dict[str, tuple[Member, ...]] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, Unit] = field(init=False, repr=False, compare=False)

    def __init__(self, units: Iterable[Unit], members: Iterable[Member]) -> None:
        object.__setattr__(self, "units", tuple(sorted(units, key=lambda u: u.id)))
        object.__setattr__(self, "members", tuple(sorted(members, key=lambda m: m.id)))
        self._validate()

    def _validate(self) -> None:
        by_id = _units_by_id(self.units)
        children = _children_by_parent(self.units, by_id)
        _check_reaches_root(by_id)
        members = _members_by_team(self.units, self.members)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})
        object.__setattr__(self, "_members", {k: tuple(v) for k, v in members.items()})

    @property
    def company(self) -> Unit:
        """The root unit."""
        return next(unit for unit in self.units if unit.kind == "company")

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id (KeyError if none)."""
        return self._by_id[unit_id]

    def children(self, unit_id: str) -> tuple[Unit, ...]:
        """Direct child units, sorted by id."""
        return self._children[unit_id]

    def members_of(self, team_id: str) -> tuple[Member, ...]:
        """Reps and seats of a team, sorted by id."""
        return self._members.get(team_id, ())

    def members_under(self, unit_id: str) -> tuple[Member, ...]:
        """Every rep and seat in the subtree rooted at ``unit_id``."""
        found = list(self.members_of(unit_id))
        for child in self.children(unit_id):
            found.extend(self.members_under(child.id))
        return tuple(found)


def _units_by_id(units: tuple[Unit, ...]) -> dict[str, Unit]:
    """Units by id; each id once, and exactly one company."""
    by_id: dict[str, Unit] = {}
    for unit in units:
        if unit.id in by_id:
            raise PlanningError("org.unit_twice", id=repr(unit.id))
        by_id[unit.id] = unit
    companies = [unit for unit in units if unit.kind == "company"]
    if len(companies) != 1:
        raise PlanningError("org.companies", count=len(companies))
    return by_id


def _children_by_parent(units: tuple[Unit, ...], by_id: dict[str, Unit]) -> dict[str, list[Unit]]:
    """Each unit's child units; a parent must exist and must not be a team."""
    children: dict[str, list[Unit]] = {unit.id: [] for unit in units}
    for unit in units:
        if unit.parent_id is None:
            continue
        if unit.parent_id not in by_id:
            raise PlanningError("org.no_parent", id=unit.id, parent=repr(unit.parent_id))
        if by_id[unit.parent_id].kind == "team":
            raise PlanningError("org.team_parent", id=unit.id, parent=unit.parent_id)
        children[unit.parent_id].append(unit)
    return children


def _members_by_team(
    units: tuple[Unit, ...], members: tuple[Member, ...]
) -> dict[str, list[Member]]:
    """Each team's reps and seats; each id once, each in a team unit."""
    by_team: dict[str, list[Member]] = {u.id: [] for u in units if u.kind == "team"}
    seen: set[str] = set()
    for member in members:
        if member.id in seen:
            raise PlanningError("org.member_twice", id=repr(member.id))
        seen.add(member.id)
        if member.team_id not in by_team:
            raise PlanningError("org.not_a_team", id=member.id, team=repr(member.team_id))
        by_team[member.team_id].append(member)
    return by_team


def level_of(member: Member) -> str:
    """Plan level of a member: ``person`` for a rep, ``seat`` for a planned hire."""
    return "person" if isinstance(member, Rep) else "seat"


def unit_level(unit: Unit) -> str:
    """Plan level of a unit: ``company``, ``team``, or ``unit`` for regions and departments."""
    return unit.kind if unit.kind in ("company", "team") else "unit"


def _check_reaches_root(by_id: dict[str, Unit]) -> None:
    for unit in by_id.values():
        seen = {unit.id}
        current = unit
        while current.parent_id is not None:
            current = by_id[current.parent_id]
            if current.id in seen:
                raise PlanningError("org.cycle", id=unit.id)
            seen.add(current.id)
