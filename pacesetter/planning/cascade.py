"""M1: cascade an annual target into monthly targets for every unit, team, rep and seat.

The company's month is the annual target times the month's seasonality weight. Each unit
then splits its month among its child units by the capacity of the reps and seats below
them, and a team splits its month among its people by their own capacity. A level may be
over-assigned (people's quotas adding up to 110 % of their team's): the parent's month is
multiplied by the factor and rounded to cents before it is split. Every split is made by
largest remainder, so children always add up exactly to what they were given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .allocation import allocate
from .calendar import Period, WorkCalendar, months_of
from .capacity import DEFAULT_RAMP, NO_DRAG, Capacity, RampSchedule, TrainingDrag, capacity
from .money import MINUS, TIMES, Number, as_decimal, format_money, format_percent, to_cents
from .org import Org, Unit, level_of, unit_level

PLAN_LEVELS = ("company", "unit", "team", "person", "seat")
# "person" also covers seats: an open seat carries a quota like the person who will fill it.
FACTOR_LEVELS = ("unit", "team", "person")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (level, id) overrides a node's year; (level, id, "YYYY-MM") one of its months.
OverrideKey = tuple[str, str] | tuple[str, str, str]
NodeKey = tuple[str, str]


@dataclass(frozen=True)
class PlanLine:
    """One monthly target: ``unit_id`` is the team for person/seat lines."""

    level: str
    unit_id: str
    person_id: str | None
    month: str
    target: Decimal
    explanation: str


def cascade(
    annual_target: Number,
    year: Period,
    cal: WorkCalendar,
    seasonality: Mapping[int, Number],
    org: Org,
    *,
    ramp: RampSchedule = DEFAULT_RAMP,
    drag: TrainingDrag = NO_DRAG,
    over_assignment: Mapping[str, Number] | None = None,
    overrides: Mapping[OverrideKey, Number] | None = None,
    currency: str = "$",
) -> list[PlanLine]:
    """Monthly targets for every node of ``org`` in ``year``, each with its explanation.

    Lines come month by month, each month in tree order (children and people sorted by id).
    ValueError when a month's money has nobody with capacity to carry it, or overrides do
    not fit inside their parent's month.
    """
    if year.kind != "year":
        raise ValueError(f"a cascade plans a year, got a {year.kind} ({year.label})")
    annual = as_decimal(annual_target, "annual target")
    if annual < 0:
        raise ValueError(f"annual target must not be negative, got {annual}")
    planner = _Planner(
        annual=annual,
        months=months_of(year),
        cal=cal,
        weights={m: as_decimal(w, f"seasonality for month {m}") for m, w in seasonality.items()},
        org=org,
        ramp=ramp,
        drag=drag,
        factors=_factors(over_assignment or {}),
        currency=currency,
    )
    planner.resolve_overrides(overrides or {})
    return planner.plan()


def _factors(given: Mapping[str, Number]) -> dict[str, Decimal]:
    factors = dict.fromkeys(FACTOR_LEVELS, Decimal(1))
    for level, value in given.items():
        if level not in FACTOR_LEVELS:
            raise ValueError(f"over-assignment applies to {FACTOR_LEVELS}, not {level!r}")
        factor = as_decimal(value, f"over-assignment for {level}")
        if factor <= 0:
            raise ValueError(f"over-assignment for {level} must be more than 0, got {factor}")
        factors[level] = factor
    return factors


class _Planner:
    """One cascade run: capacities computed once, overrides resolved, then split top-down."""

    def __init__(
        self,
        *,
        annual: Decimal,
        months: list[Period],
        cal: WorkCalendar,
        weights: dict[int, Decimal],
        org: Org,
        ramp: RampSchedule,
        drag: TrainingDrag,
        factors: dict[str, Decimal],
        currency: str,
    ) -> None:
        missing = [m.start.month for m in months if m.start.month not in weights]
        if missing:
            raise ValueError(f"seasonality has no weight for months {missing}")
        self.annual, self.months, self.org, self.factors = annual, months, org, factors
        self.weights = weights
        self.currency = currency
        self.capacity: dict[tuple[str, str], Capacity] = {
            (member.id, month.label): capacity(
                member, month, cal, ramp, drag, org.members_of(member.team_id)
            )
            for member in org.members
            for month in months
        }
        self.unit_capacity: dict[tuple[str, str], Decimal] = {}
        for month in months:
            self._sum_capacity(org.company, month.label)
        self.month_overrides: dict[NodeKey, dict[str, Decimal]] = {}
        self.year_overrides: dict[NodeKey, Decimal] = {}

    def money(self, amount: Decimal) -> str:
        """Amount in the plan's currency, as explanations show it."""
        return format_money(amount, self.currency)

    def _sum_capacity(self, unit: Unit, label: str) -> Decimal:
        total = sum(
            (self.capacity[(m.id, label)].value for m in self.org.members_of(unit.id)), Decimal(0)
        )
        for child in self.org.children(unit.id):
            total += self._sum_capacity(child, label)
        self.unit_capacity[(unit.id, label)] = total
        return total

    def node_capacity(self, node: NodeKey, label: str) -> Decimal:
        """Capacity of a member, or summed over everyone below a unit, in month ``label``."""
        level, node_id = node
        if level in ("person", "seat"):
            return self.capacity[(node_id, label)].value
        return self.unit_capacity[(node_id, label)]

    # --- overrides -------------------------------------------------------------------

    def resolve_overrides(self, overrides: Mapping[OverrideKey, Number]) -> None:
        """Check override keys and turn year overrides into month overrides."""
        labels = [month.label for month in self.months]
        levels = {(unit_level(u), u.id) for u in self.org.units}
        levels |= {(level_of(m), m.id) for m in self.org.members}
        for key, value in overrides.items():
            node: NodeKey = (key[0], key[1])
            if node[0] not in PLAN_LEVELS or node not in levels:
                raise ValueError(f"override {key}: there is no {node[0]} {node[1]!r} in the org")
            amount = as_decimal(value, f"override {key}")
            if amount < 0:
                raise ValueError(f"override {key} must not be negative, got {amount}")
            if len(key) == 3:
                if key[2] not in labels:
                    raise ValueError(f"override {key}: month {key[2]} is not in the plan year")
                self.month_overrides.setdefault(node, {})[key[2]] = to_cents(amount)
            elif node[0] == "company":
                raise ValueError("the company's year is the annual target; override its months")
            else:
                self.year_overrides[node] = to_cents(amount)
        for node, amount in sorted(self.year_overrides.items()):
            self._spread_year_override(node, amount)

    def _spread_year_override(self, node: NodeKey, amount: Decimal) -> None:
        fixed = self.month_overrides.get(node, {})
        weights = {
            m.label: self.weights[m.start.month] * self.node_capacity(node, m.label)
            for m in self.months
        }
        free = sum(w for label, w in weights.items() if label not in fixed)
        if free == 0 and amount > sum(fixed.values()):
            raise ValueError(
                f"year override {self.money(amount)} for {node[0]} {node[1]}: it has no "
                "capacity in any month without its own override"
            )
        try:
            self.month_overrides[node] = allocate(amount, weights, fixed)
        except ValueError as error:
            raise ValueError(f"year override for {node[0]} {node[1]}: {error}") from None

    # --- planning --------------------------------------------------------------------

    def plan(self) -> list[PlanLine]:
        """Company months by seasonality, then every split below them, month by month."""
        company = self.org.company
        company_node: NodeKey = ("company", company.id)
        fixed = self.month_overrides.get(company_node, {})
        weights = {m.label: self.weights[m.start.month] for m in self.months}
        try:
            targets = allocate(self.annual, weights, fixed)
        except ValueError as error:
            raise ValueError(f"company month overrides: {error}") from None
        free_weight = sum(w for label, w in weights.items() if label not in fixed)
        left = self.annual - sum(fixed.values())

        lines: list[PlanLine] = []
        for month in self.months:
            label, target = month.label, targets[month.label]
            if label in fixed:
                why = f"{self.money(target)} set by override"
            elif fixed:
                share = Fraction(weights[label]) / Fraction(free_weight)
                why = (
                    f"{self.money(target)} = {self.money(left)} left after month overrides {TIMES} "
                    f"{_month_name(month)} share {format_percent(share)}"
                )
            else:
                why = (
                    f"{self.money(target)} = annual {self.money(self.annual)} {TIMES} "
                    f"{_month_name(month)} weight {format_percent(weights[label])}"
                )
            lines.append(PlanLine("company", company.id, None, label, target, why))
            pool = to_cents(target * self.factors["person"])
            self._split(company, month, target, pool, lines)
        return lines

    def _split(
        self, parent: Unit, month: Period, target: Decimal, pool: Decimal, lines: list[PlanLine]
    ) -> None:
        """Split ``parent``'s month among its children.

        ``pool`` is what the people below ``parent`` add up to: the target times the people's
        over-assignment. It is split alongside the targets (by the children's targets) rather
        than recomputed and rounded at each team, so that all people's quotas add up to the
        company's month times the over-assignment to the cent.
        """
        label = month.label
        if parent.kind == "team":
            nodes: list[NodeKey] = [(level_of(m), m.id) for m in self.org.members_of(parent.id)]
            factor = self.factors["person"]
            base = pool
        else:
            nodes = [(unit_level(u), u.id) for u in self.org.children(parent.id)]
            factor = self._unit_factor(parent, {level for level, _ in nodes})
            base = to_cents(target * factor)
        fixed = {
            node_id: self.month_overrides[(level, node_id)][label]
            for level, node_id in nodes
            if label in self.month_overrides.get((level, node_id), {})
        }
        caps = {node_id: self.node_capacity((level, node_id), label) for level, node_id in nodes}
        free_capacity = sum((c for n, c in caps.items() if n not in fixed), Decimal(0))
        left = base - sum(fixed.values(), Decimal(0))
        where = f"{label} {parent.kind} {parent.name}"
        if left > 0 and free_capacity == 0:
            raise ValueError(
                f"{where}: {self.money(left)} to split but nobody below has capacity that month "
                "(not started, ramping at 0, or gone); give the month a seasonality weight of 0, "
                "an override, or add capacity"
            )
        try:
            targets = allocate(base, caps, fixed)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None

        source = f"{parent.kind} {parent.name} {_month_name(month)} {self.money(target)}"
        if factor != 1:
            source += f" {TIMES} {format_percent(factor, places=None)}"
            if base != to_cents(target * factor):  # the pool carries a cent from above
                source += f" ({self.money(base)} after rounding across teams)"
        if parent.kind != "team":
            child_targets = {node_id: targets[node_id] for _, node_id in nodes}
            child_pools = allocate(to_cents(pool * factor), child_targets)
        if fixed:
            source = f"({source} {MINUS} overrides {self.money(base - left)})"
        for level, node_id in nodes:
            amount = targets[node_id]
            is_member = level in ("person", "seat")
            if node_id in fixed:
                why = f"{self.money(amount)} set by override"
                if (level, node_id) in self.year_overrides:
                    why += f" (year {self.money(self.year_overrides[(level, node_id)])})"
            else:
                detail = (
                    self.capacity[(node_id, label)].reason
                    if is_member
                    else f"of {_capacity_text(free_capacity)}"
                )
                why = self._explain_share(amount, source, caps[node_id], free_capacity, detail)
            if is_member:
                lines.append(PlanLine(level, parent.id, node_id, label, amount, why))
            else:
                lines.append(PlanLine(level, node_id, None, label, amount, why))
                self._split(self.org.unit(node_id), month, amount, child_pools[node_id], lines)

    def _explain_share(
        self, amount: Decimal, source: str, cap: Decimal, total: Decimal, detail: str
    ) -> str:
        if cap == 0:
            return f"{self.money(amount)}: no capacity ({detail})"
        share = format_percent(Fraction(cap) / Fraction(total))
        separator = " " if detail.startswith("of ") else "; "
        note = "" if detail == "full capacity" else f"{separator}{detail}"
        capacity_text = f"capacity {_capacity_text(cap)}{note}"
        return f"{self.money(amount)} = {source} {TIMES} share {share} ({capacity_text})"

    def _unit_factor(self, parent: Unit, child_levels: set[str]) -> Decimal:
        factors = {self.factors[level] for level in child_levels}
        if len(factors) > 1:
            raise ValueError(
                f"{parent.kind} {parent.name} has both teams and units below it with different "
                "over-assignment factors; give 'unit' and 'team' the same factor"
            )
        return factors.pop() if factors else Decimal(1)


def _month_name(month: Period) -> str:
    # Fixed English names: explanations must not change with the server's locale.
    return MONTH_NAMES[month.start.month - 1]


def _capacity_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    decimals = len(text.partition(".")[2])
    return text if decimals >= 2 else f"{value:.2f}"


def monthly_targets(
    lines: Iterable[PlanLine], level: str, unit_id: str, person_id: str | None = None
) -> dict[str, Decimal]:
    """One node's targets by month (``YYYY-MM`` → amount), picked out of cascade lines."""
    return {
        line.month: line.target
        for line in lines
        if line.level == level and line.unit_id == unit_id and line.person_id == person_id
    }


def re_plan(
    targets: Mapping[str, Number] | Iterable[PlanLine],
    actuals: Mapping[str, Number],
    annual_target: Number,
    remaining_months: Iterable[str],
) -> dict[str, Decimal]:
    """Spread what is left of the annual target over ``remaining_months`` (``YYYY-MM``).

    The remaining months keep their original proportions; closed months' actuals plus the
    result add up exactly to the annual target (all zeros once actuals exceed it). Actuals of
    remaining months are ignored: those months are re-planned whole. Feed closed actuals and
    the result to ``cascade`` as company month overrides to re-plan the whole org.
    """
    if isinstance(targets, Mapping):
        original = {month: as_decimal(v, f"target for {month}") for month, v in targets.items()}
    else:
        original = {line.month: line.target for line in targets if line.level == "company"}
    remaining = sorted(set(remaining_months))
    unknown = [month for month in remaining if month not in original]
    if unknown:
        raise ValueError(f"months {unknown} have no original target to take proportions from")
    annual = as_decimal(annual_target, "annual target")
    if annual < 0:
        raise ValueError(f"annual target must not be negative, got {annual}")
    done = sum(
        (as_decimal(v, f"actual for {m}") for m, v in actuals.items() if m not in remaining),
        Decimal(0),
    )
    left = max(Decimal(0), to_cents(annual - done))
    return allocate(left, {month: original[month] for month in remaining})
