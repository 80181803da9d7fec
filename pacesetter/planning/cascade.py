"""M1: cascade an annual target into monthly targets for every unit, team, rep and seat.

The company's month is the annual target times the month's seasonality weight. Each unit
then splits its month among its child units by the capacity of the reps and seats below
them, and a team splits its month among its people by their own capacity. A level may be
over-assigned (people's quotas adding up to 110 % of their team's): the parent's month is
multiplied by the factor and rounded to cents before it is split. Every split is made by
largest remainder, so children always add up exactly to what they were given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .allocation import allocate
from .calendar import Period, WorkCalendar, months_of
from .capacity import DEFAULT_RAMP, NO_DRAG, Capacity, RampSchedule, TrainingDrag, capacity
from .errors import PlanningError, cause
from .explain import Explanation, Money, Month, Percent, Term
from .money import Number, as_decimal, format_money, to_cents
from .org import Org, Unit, level_of, unit_level

PLAN_LEVELS = ("company", "unit", "team", "person", "seat")
# "person" also covers seats: an open seat carries a quota like the person who will fill it.
FACTOR_LEVELS = ("unit", "team", "person")

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
    explanation: Explanation


@dataclass(frozen=True)
class SplitRules:
    """How a month is split among people: new hires ramp up (``ramp``), their teammates lose
    time training them (``drag``), and a level may be over-assigned (``over_assignment``,
    e.g. ``{"person": 1.1}``: people's quotas add up to 110 % of their team's month)."""

    ramp: RampSchedule = DEFAULT_RAMP
    drag: TrainingDrag = NO_DRAG
    over_assignment: Mapping[str, Number] | None = None


DEFAULT_RULES = SplitRules()


def cascade(
    annual_target: Number,
    year: Period,
    cal: WorkCalendar,
    seasonality: Mapping[int, Number],
    org: Org,
    *,
    rules: SplitRules = DEFAULT_RULES,
    overrides: Mapping[OverrideKey, Number] | None = None,
    currency: str = "$",
) -> list[PlanLine]:
    """Monthly targets for every node of ``org`` in ``year``, each with its explanation.

    Lines come month by month, each month in tree order (children and people sorted by id).
    ValueError when a month's money has nobody with capacity to carry it, or overrides do
    not fit inside their parent's month.
    """
    if year.kind != "year":
        raise PlanningError(
            "cascade.not_a_year", kind=Term("period_kind", year.kind), label=year.label
        )
    annual = as_decimal(annual_target, "annual target")
    if annual < 0:
        raise PlanningError("plan.negative_annual", annual=annual)
    planner = _Planner(
        annual=annual,
        months=months_of(year),
        cal=cal,
        weights={m: as_decimal(w, f"seasonality for month {m}") for m, w in seasonality.items()},
        org=org,
        rules=rules,
        factors=_factors(rules.over_assignment or {}),
        currency=currency,
    )
    planner.resolve_overrides(overrides or {})
    return planner.plan()


def _factors(given: Mapping[str, Number]) -> dict[str, Decimal]:
    factors = dict.fromkeys(FACTOR_LEVELS, Decimal(1))
    for level, value in given.items():
        if level not in FACTOR_LEVELS:
            raise PlanningError("cascade.factor_level", levels=FACTOR_LEVELS, level=repr(level))
        factor = as_decimal(value, f"over-assignment for {level}")
        if factor <= 0:
            raise PlanningError("cascade.factor_positive", level=level, factor=factor)
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
        rules: SplitRules,
        factors: dict[str, Decimal],
        currency: str,
    ) -> None:
        missing = [m.start.month for m in months if m.start.month not in weights]
        if missing:
            raise PlanningError("cascade.missing_weights", months=missing)
        self.annual, self.months, self.org, self.factors = annual, months, org, factors
        self.weights = weights
        self.currency = currency
        self.capacity: dict[tuple[str, str], Capacity] = {
            (member.id, month.label): capacity(
                member, month, cal, rules.ramp, rules.drag, org.members_of(member.team_id)
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
        """Amount in the plan's currency, as error messages show it."""
        return format_money(amount, self.currency)

    def cash(self, amount: Decimal) -> Money:
        """Amount in the plan's currency, as an explanation's parameter."""
        return Money(amount, self.currency)

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
                raise PlanningError(
                    "cascade.override_unknown", key=key, level=node[0], name=repr(node[1])
                )
            amount = as_decimal(value, f"override {key}")
            if amount < 0:
                raise PlanningError("cascade.override_negative", key=key, amount=amount)
            if len(key) == 3:
                if key[2] not in labels:
                    raise PlanningError("cascade.override_month", key=key, month=key[2])
                self.month_overrides.setdefault(node, {})[key[2]] = to_cents(amount)
            elif node[0] == "company":
                raise PlanningError("cascade.company_year")
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
            raise PlanningError(
                "cascade.year_override_nowhere",
                amount=self.money(amount),
                level=node[0],
                name=node[1],
            )
        try:
            self.month_overrides[node] = allocate(amount, weights, fixed)
        except ValueError as error:
            raise PlanningError(
                "cascade.year_override", level=node[0], name=node[1], error=cause(error)
            ) from None

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
            raise PlanningError("cascade.company_months", error=cause(error)) from None
        free_weight = sum(w for label, w in weights.items() if label not in fixed)
        left = self.annual - sum(fixed.values())

        lines: list[PlanLine] = []
        for month in self.months:
            label, target = month.label, targets[month.label]
            amount, name = self.cash(target), Month(month.start.month)
            if label in fixed:
                why = Explanation("cascade.override", {"amount": amount})
            elif fixed:
                share = Percent(Fraction(weights[label]) / Fraction(free_weight))
                why = Explanation(
                    "cascade.company_left",
                    {"amount": amount, "left": self.cash(left), "month": name, "share": share},
                )
            else:
                why = Explanation(
                    "cascade.company_weight",
                    {"amount": amount, "annual": self.cash(self.annual), "month": name,
                     "weight": Percent(weights[label])},
                )  # fmt: skip
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
        nodes, factor, base = self._children(parent, target, pool)
        fixed = {
            node_id: self.month_overrides[(level, node_id)][label]
            for level, node_id in nodes
            if label in self.month_overrides.get((level, node_id), {})
        }
        caps = {node_id: self.node_capacity((level, node_id), label) for level, node_id in nodes}
        free_capacity = sum((c for n, c in caps.items() if n not in fixed), Decimal(0))
        left = base - sum(fixed.values(), Decimal(0))
        where = Explanation(
            "cascade.where", {"month": label, "kind": Term("unit_kind", parent.kind),
                              "name": parent.name}
        )  # fmt: skip
        if left > 0 and free_capacity == 0:
            raise PlanningError("cascade.nobody_to_carry", where=where, amount=self.money(left))
        try:
            targets = allocate(base, caps, fixed)
        except ValueError as error:
            raise PlanningError("cascade.where_error", where=where, error=cause(error)) from None

        source = self._source(parent, month, target, factor, base, base - left if fixed else None)
        if parent.kind != "team":
            child_targets = {node_id: targets[node_id] for _, node_id in nodes}
            child_pools = allocate(to_cents(pool * factor), child_targets)
        for level, node_id in nodes:
            amount = targets[node_id]
            is_member = level in ("person", "seat")
            if node_id in fixed:
                why = self._explain_override((level, node_id), amount)
            else:
                member = self.capacity[(node_id, label)] if is_member else None
                why = self._explain_share(amount, source, caps[node_id], free_capacity, member)
            if is_member:
                lines.append(PlanLine(level, parent.id, node_id, label, amount, why))
            else:
                lines.append(PlanLine(level, node_id, None, label, amount, why))
                self._split(self.org.unit(node_id), month, amount, child_pools[node_id], lines)

    def _children(
        self, parent: Unit, target: Decimal, pool: Decimal
    ) -> tuple[list[NodeKey], Decimal, Decimal]:
        """Who splits ``parent``'s month (its people, or its child units), the over-assignment
        factor applied to them, and the amount they split."""
        if parent.kind == "team":
            nodes: list[NodeKey] = [(level_of(m), m.id) for m in self.org.members_of(parent.id)]
            return nodes, self.factors["person"], pool
        nodes = [(unit_level(u), u.id) for u in self.org.children(parent.id)]
        factor = self._unit_factor(parent, {level for level, _ in nodes})
        return nodes, factor, to_cents(target * factor)

    def _source(
        self,
        parent: Unit,
        month: Period,
        target: Decimal,
        factor: Decimal,
        base: Decimal,
        overridden: Decimal | None,
    ) -> Explanation:
        """What the children split, as their explanations name it: the parent's month, times
        its over-assignment, less what overrides fix (``overridden``)."""
        source = Explanation(
            "cascade.source",
            {"kind": Term("unit_kind", parent.kind), "name": parent.name,
             "month": Month(month.start.month), "target": self.cash(target)},
        )  # fmt: skip
        if factor != 1:
            source = Explanation(
                "cascade.source_factor", {"source": source, "factor": Percent(factor, None)}
            )
            if base != to_cents(target * factor):  # the pool carries a cent from above
                source = Explanation(
                    "cascade.source_rounded", {"source": source, "base": self.cash(base)}
                )
        if overridden is not None:
            source = Explanation(
                "cascade.source_overrides",
                {"source": source, "overrides": self.cash(overridden)},
            )
        return source

    def _explain_override(self, node: NodeKey, amount: Decimal) -> Explanation:
        """A month fixed by an override, or by spreading an override of the node's year."""
        if node in self.year_overrides:
            return Explanation(
                "cascade.override_year",
                {"amount": self.cash(amount), "year": self.cash(self.year_overrides[node])},
            )
        return Explanation("cascade.override", {"amount": self.cash(amount)})

    def _explain_share(
        self,
        amount: Decimal,
        source: Explanation,
        cap: Decimal,
        total: Decimal,
        member: Capacity | None,
    ) -> Explanation:
        """A child's share of its parent's month (``member``: None for a unit)."""
        money = self.cash(amount)
        if cap == 0:
            if member is None:
                total_text = _capacity_text(total)
                return Explanation("cascade.no_capacity_of", {"amount": money, "total": total_text})
            return Explanation("cascade.no_capacity", {"amount": money, "reason": member.reason})
        params = {
            "amount": money,
            "source": source,
            "share": Percent(Fraction(cap) / Fraction(total)),
            "capacity": _capacity_text(cap),
        }
        if member is None:
            return Explanation("cascade.share_of", {**params, "total": _capacity_text(total)})
        if member.full:
            return Explanation("cascade.share", params)
        return Explanation("cascade.share_reason", {**params, "reason": member.reason})

    def _unit_factor(self, parent: Unit, child_levels: set[str]) -> Decimal:
        factors = {self.factors[level] for level in child_levels}
        if len(factors) > 1:
            raise PlanningError(
                "cascade.mixed_factors", kind=Term("unit_kind", parent.kind), name=parent.name
            )
        return factors.pop() if factors else Decimal(1)


def _capacity_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    decimals = len(text.partition(".")[2])
    return text if decimals >= 2 else f"{value:.2f}"
