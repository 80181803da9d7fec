"""Metric values for every assignee of a period, computed in the database.

One query per metric and period for all people (GROUP BY person), whatever the number of
goals or reps; units add one more query for the people who joined, left or moved during the
period. Counts and sums over whole months read the monthly rollups; other periods (weeks,
days) and the non-additive metrics (ratios, medians, coverage, retention) read the ledger
through its indexes.

Every aggregation first produces *parts* that can be added up across people — a total, a
(numerator, denominator) pair, a list of durations — so that a team's close rate is its
members' won deals over their closed deals, not an average of their rates.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from pacesetter.fields import FixedDecimalField
from pacesetter.ledger.models import (
    TOUCH_KINDS,
    Account,
    AccountMonth,
    Activity,
    ActivityMonth,
    Deal,
    DealMonth,
    ManualEntry,
)
from pacesetter.metrics.filters import TWO_WEEKS, MetricFilters, filters_of
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings
from pacesetter.org.selectors import subtrees
from pacesetter.planning.calendar import add_months

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Window:
    """Days ``[start, end)`` in the org's time zone."""

    start: dt.date
    end: dt.date

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and self.end.day == 1 and self.end > self.start

    def clip(self, start: dt.date, end: dt.date | None) -> Window | None:
        lo, hi = max(self.start, start), min(self.end, end or self.end)
        return Window(lo, hi) if lo < hi else None


# --- parts: what can be added across people ------------------------------------------------

Parts = Any  # Decimal | tuple[int, int] | list[int], by aggregation


def empty(metric: Metric) -> Parts:
    agg = metric.aggregation
    if agg in (Metric.Aggregation.COUNT, Metric.Aggregation.SUM):
        return ZERO
    if agg == Metric.Aggregation.MEDIAN_DAYS:
        return []
    return (0, 0)


def combine(metric: Metric, a: Parts, b: Parts) -> Parts:
    if isinstance(a, list):
        return a + b
    if isinstance(a, tuple):
        return (a[0] + b[0], a[1] + b[1])
    return a + b


def final(metric: Metric, parts: Parts) -> Decimal | None:
    """The metric's value from its parts; None when it is undefined (nothing closed yet)."""
    if isinstance(parts, list):
        return Decimal(str(statistics.median(parts))) if parts else None
    if isinstance(parts, tuple):
        numerator, denominator = parts
        if not denominator:
            return None
        return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.1"))
    return parts


# --- per person ------------------------------------------------------------------------------


def driver_rows(rows: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` query exactly as the database driver returns them.

    Every query here returns a row per person, for everyone at once; Django's per-row
    conversions cost more than the query itself (measured on PostgreSQL: 9 ms of 13 for
    2,000 reps' revenue from the rollups). Only ids, counts, sums of stored cents and
    booleans are read this way: they need no converting beyond what ``_stored`` does.
    """
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. nobody to ask for (``person_id IN ()``)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _stored(model: type[Model], field: str, total: int | Decimal) -> Decimal:
    """A sum over a ``FixedDecimalField`` column (stored in its smallest unit) as the field
    itself reads it."""
    column = model._meta.get_field(field)
    assert isinstance(column, FixedDecimalField)
    stored = column.from_db_value(total, None, connection)
    assert stored is not None  # a sum over rows that exist
    return stored


class DaysBetween(Func):
    """Whole days from one date column to another, computed by the database."""

    output_field = IntegerField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(end), F(start))

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> _AsSqlType:
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> _AsSqlType:
        return super().as_sql(
            compiler, connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)", arg_joiner=") - julianday(",
        )  # fmt: skip


def _zone() -> dt.tzinfo:
    return OrgSettings.load().zone


def _utc(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def _among(field: str, person_ids: list[int] | None) -> dict[str, list[int]]:
    """The condition "one of these people" (none: everyone) for a ``filter()`` call."""
    return {} if person_ids is None else {f"{field}__in": person_ids}


def person_parts(
    metric: Metric,
    window: Window,
    person_ids: Iterable[int] | None = None,
    *,
    as_of: dt.date | None = None,
    zone: dt.tzinfo | None = None,
) -> dict[int, Parts]:
    """Parts of ``metric`` per person over ``window`` (everyone with data, or ``person_ids``).

    ``zone`` is the org's time zone (read from the settings when not given).
    """
    wanted = None if person_ids is None else set(person_ids)
    parts = _person_parts(metric, window, wanted, as_of or dt.date.max, zone or _zone())
    if wanted is not None and len(wanted) > MAX_IDS_IN_SQL:
        parts = {p: v for p, v in parts.items() if p in wanted}
    return parts


# Beyond this many people a period-wide scan of the time index, filtered afterwards, beats
# an IN list: SQLite's planner otherwise picks the (person, time) index and runs several
# times slower (measured: 41 ms against 10 ms for a week of demos of 2,000 reps).
MAX_IDS_IN_SQL = 200


def _person_parts(
    metric: Metric, window: Window, wanted: set[int] | None, as_of: dt.date, zone: dt.tzinfo
) -> dict[int, Parts]:
    ids = None if wanted is None or len(wanted) > MAX_IDS_IN_SQL else list(wanted)
    source, agg, f = metric.source, metric.aggregation, filters_of(metric)
    totals = _totals(metric, f, window, ids, zone)
    if totals is not None:
        rows, stored = totals
        if stored is None:
            return {p: Decimal(n) for p, n in rows}
        return {p: _stored(*stored, v) for p, v in rows}
    if source == Metric.Source.DEALS:
        if agg == Metric.Aggregation.MEDIAN_DAYS:
            return _deal_durations(window, ids)
        return _deal_ratio(f, window, ids)
    if agg == Metric.Aggregation.RETENTION:
        return _retention(window, ids, as_of)
    if agg == Metric.Aggregation.COVERAGE:
        return _coverage(f, window, ids, as_of, zone)
    raise ValueError(f"metric {metric.name}: no way to compute {agg} over {source}")


Stored = tuple[type[Model], str]  # the model and field a total of stored cents sums


def _totals(
    metric: Metric, f: MetricFilters, window: Window, ids: list[int] | None, zone: dt.tzinfo
) -> tuple[list[tuple], Stored | None] | None:
    """A count's or a sum's rows (person, total) as the driver gives them, and where the
    totals are stored cents (None: whole numbers); None for the other aggregations."""
    source, agg = metric.source, metric.aggregation
    if source == Metric.Source.ACTIVITIES:
        return _activity_counts(f, window, ids, zone), None
    if source == Metric.Source.DEALS and agg not in (
        Metric.Aggregation.MEDIAN_DAYS,
        Metric.Aggregation.RATIO,
    ):
        return _deal_totals(agg, f, window, ids)
    if source == Metric.Source.ENTRIES:
        rows = ManualEntry.objects.filter(
            first_day__gte=window.start,
            first_day__lt=window.end,
            **f.entries(),
            **_among("person_id", ids),
        )
        if agg == Metric.Aggregation.SUM:
            found = driver_rows(rows.values_list("person_id").annotate(v=Sum("value")))
            return found, (ManualEntry, "value")
        return driver_rows(rows.values_list("person_id").annotate(v=Count("*"))), None
    return None


def person_cents(
    metric: Metric, window: Window, person_ids: Iterable[int], *, zone: dt.tzinfo | None = None
) -> tuple[dict[int, int], bool]:
    """A count's or a sum's value for the people asked for who have data, in cents (3 demos:
    300; $1.50: 150), straight from the database's totals, and whether the values are whole
    numbers (counts) rather than amounts. ``person_parts`` gives the same numbers as
    Decimals; this is for judging thousands of goals without a Decimal per person."""
    wanted = list(person_ids)
    ids = None if len(set(wanted)) > MAX_IDS_IN_SQL else wanted
    totals = _totals(metric, filters_of(metric), window, ids, zone or _zone())
    if totals is None:
        raise ValueError(f"metric {metric.name}: {metric.aggregation} is not a count or a sum")
    rows, stored = totals
    scale = 100 if stored is None else 1
    if ids is None:  # everyone was read: keep the people asked for
        asked = set(wanted)
        return {p: int(v) * scale for p, v in rows if p in asked}, stored is None
    return {p: int(v) * scale for p, v in rows}, stored is None


def _where(
    matching: dict[str, Any], ids: list[int] | None, owner: str, **conditions: Any
) -> dict[str, Any]:
    """The conditions of one ``filter()`` call: those given (the window), the rows the
    metric counts (``matching``: its kinds, segment, status) and the people. One call, not
    one per condition: each ``filter()`` copies the query, and a team's dashboard builds two
    dozen of them."""
    return {**conditions, **matching, **_among(owner, ids)}


def _activity_counts(
    f: MetricFilters, window: Window, ids: list[int] | None, zone: dt.tzinfo
) -> list[tuple]:
    rows: QuerySet[ActivityMonth] | QuerySet[Activity]
    total: Aggregate
    if window.whole_months:
        rows = ActivityMonth.objects.filter(
            **_where(f.activities(), ids, "person_id", month__gte=window.start,
                     month__lt=window.end)
        )  # fmt: skip
        total = Sum("count")
    else:
        rows = Activity.objects.filter(
            **_where(f.activities(), ids, "person_id", occurred_at__gte=_utc(window.start, zone),
                     occurred_at__lt=_utc(window.end, zone))
        )  # fmt: skip
        total = Count("*")  # not COUNT(id): the (time, kind, person) index answers alone
    return driver_rows(rows.values_list("person_id").annotate(n=total))


def _deal_totals(
    agg: str, f: MetricFilters, window: Window, ids: list[int] | None
) -> tuple[list[tuple], Stored | None]:
    money = agg == Metric.Aggregation.SUM
    rows: QuerySet[DealMonth] | QuerySet[Deal]
    total: Aggregate
    if window.whole_months:
        owner = "person_id"
        rows = DealMonth.objects.filter(
            **_where(f.deals(), ids, owner, month__gte=window.start, month__lt=window.end)
        )
        total = Sum("amount") if money else Sum("count")
    else:
        owner = "owner_id"
        rows = Deal.objects.filter(
            **_where(f.deals(), ids, owner, closed_on__gte=window.start,
                     closed_on__lt=window.end)
        )  # fmt: skip
        total = Sum("amount") if money else Count("*")
    found = driver_rows(rows.values_list(owner).annotate(v=total))
    return found, (rows.model, "amount") if money else None


def _deal_ratio(f: MetricFilters, window: Window, ids: list[int] | None) -> dict[int, Parts]:
    # Won among the closed deals: the ``status`` filter does not apply.
    matching = f.deals(by_status=False)
    rows: QuerySet[DealMonth] | QuerySet[Deal]
    found: QuerySet[DealMonth, tuple[Any, ...]] | QuerySet[Deal, tuple[Any, ...]]
    if window.whole_months:
        rows = DealMonth.objects.filter(
            **_where(matching, ids, "person_id", month__gte=window.start, month__lt=window.end)
        )
        found = rows.values_list("person_id").annotate(
            won=Sum("count", filter=Q(status="won")), closed=Sum("count")
        )
    else:
        rows = Deal.objects.filter(
            **_where(matching, ids, "owner_id", status__in=("won", "lost"),
                     closed_on__gte=window.start, closed_on__lt=window.end)
        )  # fmt: skip
        found = rows.values_list("owner_id").annotate(
            won=Count("id", filter=Q(status="won")), closed=Count("id")
        )
    return {p: (won or 0, closed or 0) for p, won, closed in driver_rows(found)}


def _deal_durations(window: Window, ids: list[int] | None) -> dict[int, Parts]:
    # A deal without a created date (unknown, or after its close: loaded into the CRM
    # later) has no lead time.
    rows = Deal.objects.filter(
        status="won", closed_on__gte=window.start, closed_on__lt=window.end,
        created_on__isnull=False, **_among("owner_id", ids),
    )  # fmt: skip
    found: dict[int, list[int]] = defaultdict(list)
    days = DaysBetween("created_on", "closed_on")
    for owner, n in driver_rows(
        rows.annotate(days=days).values_list("owner_id", "days").order_by()
    ):
        found[owner].append(n)
    return dict(found)


def _retention(window: Window, ids: list[int] | None, as_of: dt.date) -> dict[int, Parts]:
    # Customers at the start: acquired before it and not churned by then.
    end = min(window.end, max(as_of, window.start))
    at_start = Q(acquired_on__lt=window.start) & (
        Q(churned_on__isnull=True) | Q(churned_on__gte=window.start)
    )
    kept = at_start & (Q(churned_on__isnull=True) | Q(churned_on__gte=end))
    rows = Account.objects.filter(at_start, owner__isnull=False, **_among("owner_id", ids))
    found = rows.values_list("owner_id").annotate(kept=Count("id", filter=kept), base=Count("id"))
    return {p: (k, b) for p, k, b in driver_rows(found)}


def coverage_windows(window: Window, kind: str, as_of: dt.date) -> list[Window]:
    """The windows a customer must be touched in: complete ones so far (or the first).
    ``kind``: ``"month"`` or ``"two_weeks"`` (``MetricFilters.window``)."""
    windows, start = [], window.start
    while start < window.end:
        nxt = start + dt.timedelta(days=14) if kind == TWO_WEEKS else add_months(start, 1)
        windows.append(Window(start, min(nxt, window.end)))
        start = nxt
    complete = [w for w in windows if w.end <= as_of]
    return complete or windows[:1]


def _coverage(
    f: MetricFilters, window: Window, ids: list[int] | None, as_of: dt.date, zone: dt.tzinfo
) -> dict[int, Parts]:
    recent = add_months(window.start, -f.recent_months)
    customers = Account.objects.filter(
        Q(churned_on__isnull=True) | Q(churned_on__gte=window.start),
        acquired_on__gte=recent,
        acquired_on__lt=window.start,
        owner__isnull=False,
        **_among("owner_id", ids),
    )
    windows = coverage_windows(window, f.window, as_of)
    # Counted per owner in the database: a customer is covered when every window has a touch.
    every_window = Q(*(_touched(w, zone) for w in windows))
    found = (
        customers.values_list("owner_id")
        .annotate(covered=Count("id", filter=every_window), customers=Count("id"))
        .order_by()
    )
    return {p: (covered, total) for p, covered, total in driver_rows(found)}


def _touched(window: Window, zone: dt.tzinfo) -> Exists:
    """Per customer: was there a touch in ``window``? A whole month is one look-up in the
    customers' monthly touches (``AccountMonth``); other windows (two weeks) search the
    activities, where EXISTS stops at the first touch the (account, time) index finds."""
    if window.whole_months and add_months(window.start, 1) == window.end:
        return Exists(AccountMonth.objects.filter(account_id=OuterRef("pk"), month=window.start))
    return Exists(
        Activity.objects.filter(
            account_id=OuterRef("pk"),
            kind__in=TOUCH_KINDS,
            occurred_at__gte=_utc(window.start, zone),
            occurred_at__lt=_utc(window.end, zone),
        )
    )


def person_values(
    metric: Metric,
    window: Window,
    person_ids: Iterable[int] | None = None,
    *,
    as_of: dt.date | None = None,
    zone: dt.tzinfo | None = None,
) -> dict[int, Decimal | None]:
    """The metric's value per person; people without data get 0 (or None for rates)."""
    ids = None if person_ids is None else list(person_ids)
    return values_of(metric, person_parts(metric, window, ids, as_of=as_of, zone=zone), ids)


def values_of(
    metric: Metric, parts: dict[int, Parts], person_ids: list[int] | None
) -> dict[int, Decimal | None]:
    """Values from parts (``person_parts``), for ``person_ids`` or everyone with parts."""
    if person_ids is None:
        return {p: final(metric, v) for p, v in parts.items()}
    nothing = final(metric, empty(metric))  # everyone without data: worked out once
    return {p: final(metric, parts[p]) if p in parts else nothing for p in person_ids}


# --- per unit, by membership history ----------------------------------------------------------


@dataclass
class UnitScope:
    """Who counts for which unit in a window: people there all along, and stretches of
    people who joined, left or moved during it. The same for every metric of the window."""

    window: Window
    unit_ids: list[int]
    whole: dict[int, set[int]]  # unit → people in it for the whole window
    partial: dict[Window, list[tuple[int, int]]]  # stretch → (unit, person)

    def members(self, unit_ids: Iterable[int]) -> set[int]:
        """Everyone in any of these units (or below) for the whole window."""
        return set().union(set(), *(self.whole.get(u, set()) for u in unit_ids))


def unit_scope(window: Window, unit_ids: Iterable[int]) -> UnitScope:
    """Two queries: the unit tree and the memberships overlapping the window."""
    unit_ids = list(unit_ids)
    below = subtrees(unit_ids)
    every_unit = set().union(set(), *below.values())
    memberships = Membership.objects.filter(unit_id__in=every_unit).overlapping(
        window.start, window.end
    )
    whole: dict[int, set[int]] = defaultdict(set)
    partial: dict[Window, list[tuple[int, int]]] = defaultdict(list)
    for m in memberships.values("unit_id", "person_id", "valid_from", "valid_to"):
        clipped = window.clip(m["valid_from"], m["valid_to"])
        if clipped is None:
            continue
        for unit in unit_ids:
            if m["unit_id"] in below[unit]:
                if clipped == window:
                    whole[unit].add(m["person_id"])
                else:
                    partial[clipped].append((unit, m["person_id"]))
    return UnitScope(window, unit_ids, dict(whole), dict(partial))


def unit_values(
    metric: Metric,
    window: Window,
    unit_ids: Iterable[int],
    *,
    as_of: dt.date | None = None,
    zone: dt.tzinfo | None = None,
    scope: UnitScope | None = None,
    known: dict[int, Parts] | None = None,
) -> dict[int, Decimal | None]:
    """The metric's value per unit: its members' (and sub-units' members') parts added up,
    each counted only for the days they belonged to it. Pass ``scope`` (from ``unit_scope``)
    to share the membership work between metrics of the same window, and ``known``: the
    parts over the whole window of everyone in ``scope.members(unit_ids)``, when the caller
    asked for them with its own people (one query instead of two)."""
    unit_ids = list(dict.fromkeys(unit_ids))  # two goals of one unit must not count it twice
    zone = zone or _zone()
    if scope is None or scope.window != window or not set(unit_ids) <= set(scope.unit_ids):
        scope = unit_scope(window, unit_ids)
    totals = {u: empty(metric) for u in unit_ids}
    wanted = set(unit_ids)
    everyone = scope.members(unit_ids)
    if everyone:
        parts = (
            known if known is not None
            else person_parts(metric, window, everyone, as_of=as_of, zone=zone)
        )  # fmt: skip
        for unit in unit_ids:
            for person in scope.whole.get(unit, ()):
                if person in parts:
                    totals[unit] = combine(metric, totals[unit], parts[person])
    # People who joined, left or moved during the period: one query per distinct stretch.
    for stretch, pairs in scope.partial.items():
        pairs = [(u, p) for u, p in pairs if u in wanted]
        if not pairs:
            continue
        parts = person_parts(metric, stretch, {p for _, p in pairs}, as_of=as_of, zone=zone)
        for unit, person in pairs:
            if person in parts:
                totals[unit] = combine(metric, totals[unit], parts[person])
    return {u: final(metric, totals[u]) for u in unit_ids}
