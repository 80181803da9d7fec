"""The org tree with plan against actual, month by month, for the fiscal year.

Plan: the units' monthly goals of the metric (what an active plan wrote). Actual: the
metric engine's unit values — one query per month for every unit at once (whole months read
the monthly rollups), so the page costs the same for 5 units or 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window, unit_scope, unit_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import fiscal_year_of
from pacesetter.presentation import compact_money, currency_symbol, metric_value, percent

PLAN_METRIC = "revenue_won"


@dataclass(frozen=True)
class Cell:
    plan: Decimal | None
    actual: Decimal | None
    state: str  # past, current, future
    status: str  # achieved, on_track, at_risk, behind, none
    plan_text: str
    actual_text: str
    plan_short: str = ""
    actual_short: str = ""

    @property
    def attainment(self) -> str:
        if not self.plan or self.actual is None:
            return ""
        return percent(self.actual / self.plan * 100, 0)


@dataclass
class OrgRow:
    unit: Unit
    depth: int
    has_children: bool
    cells: list[Cell]
    total: Cell


@dataclass
class OrgPage:
    year: planning.Period
    months: list[planning.Period]
    metric: Metric | None
    rows: list[OrgRow] = field(default_factory=list)
    current: int | None = None  # the index of the month holding today, if in this year


def _status(
    plan: Decimal | None, actual: Decimal | None, expected: Decimal, org: OrgSettings
) -> str:
    """Like a goal's status: against the plan expected by today (working-day pace)."""
    if not plan or actual is None:
        return "none"
    if actual >= plan:
        return "achieved"
    if not expected:
        return "on_track"
    ratio = actual / expected
    if ratio >= Decimal(org.pace_on_track) / 100:
        return "on_track"
    return "at_risk" if ratio >= Decimal(org.pace_at_risk) / 100 else "behind"


def _tree(roots: list[Unit]) -> list[tuple[Unit, int, bool]]:
    """The roots and everything below them, depth first, with depths (one query)."""
    units = list(Unit.objects.order_by("name"))
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    rows: list[tuple[Unit, int, bool]] = []

    def walk(unit: Unit, depth: int) -> None:
        rows.append((unit, depth, bool(children.get(unit.pk))))
        for child in children.get(unit.pk, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return rows


def org_page(roots: list[Unit], today: dt.date) -> OrgPage:
    cal = work_calendar()
    org = OrgSettings.load()
    year = fiscal_year_of(today, cal)
    months = planning.months_of(year)
    metric = Metric.objects.filter(name=PLAN_METRIC).first()
    page = OrgPage(year, months, metric)
    page.current = next((i for i, m in enumerate(months) if m.start <= today < m.end), None)
    if metric is None:
        return page
    tree = _tree(roots)
    unit_ids = [u.pk for u, _, _ in tree]
    plans: dict[tuple[int, dt.date], Decimal] = {}
    for unit_id, start, target in Goal.objects.filter(
        metric=PLAN_METRIC,
        kind=Goal.Kind.STANDARD,
        period_kind="month",
        unit_id__in=unit_ids,
        period_start__gte=year.start,
        period_start__lt=year.end,
    ).values_list("unit_id", "period_start", "target"):
        plans[(unit_id, start)] = target
    actuals: dict[tuple[int, dt.date], Decimal | None] = {}
    for month in months:
        if month.start > today:
            continue
        window = Window(month.start, month.end)
        scope = unit_scope(window, unit_ids)
        values = unit_values(metric, window, unit_ids, as_of=today, zone=org.zone, scope=scope)
        for unit_id, value in values.items():
            actuals[(unit_id, month.start)] = value
    symbol = currency_symbol(org.currency)

    def show(v: Decimal | None) -> str:
        return "" if v is None else metric_value(v, metric.unit, symbol)

    def cell(plan: Decimal | None, actual: Decimal | None, state: str, status: str) -> Cell:
        return Cell(
            plan,
            actual,
            state,
            status,
            show(plan),
            show(actual),
            short(plan, metric.unit, symbol),
            short(actual, metric.unit, symbol),
        )

    shares = {m.start: _share(m, today, cal) for m in months}
    for unit, depth, has_children in tree:
        cells, expected_total = [], Decimal(0)
        for month in months:
            plan, actual = plans.get((unit.pk, month.start)), actuals.get((unit.pk, month.start))
            state = "future" if month.start > today else "current" if today < month.end else "past"
            expected = (plan or Decimal(0)) * shares[month.start]
            expected_total += expected
            status = _status(plan, actual, expected, org) if state != "future" else "none"
            cells.append(cell(plan, actual, state, status))
        total_plan = sum((c.plan for c in cells if c.plan), Decimal(0)) or None
        total_actual = sum((c.actual for c in cells if c.actual), Decimal(0))
        status = _status(total_plan, total_actual, expected_total, org)
        total = cell(total_plan, total_actual, "current", status)
        page.rows.append(OrgRow(unit, depth, has_children, cells, total))
    return page


def _share(period: planning.Period, today: dt.date, cal: planning.WorkCalendar) -> Decimal:
    f = planning.elapsed_fraction(period, today, cal)
    return Decimal(f.numerator) / Decimal(f.denominator)


def short(value: Decimal | None, unit: str, symbol: str) -> str:
    """A compact number for a dense table: $164.2k, $1.4M (the exact value is in the title)."""
    if value is None:
        return ""
    if unit != Metric.Unit.MONEY:
        return metric_value(value, unit, symbol)
    return compact_money(value, symbol)
