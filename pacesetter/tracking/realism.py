"""Realism (closing advice): each goal's chance of being met, from its rep's own history.

For every person goal, the same metric over the rep's past periods of the same kind and
shape (``planning.realism`` says how many and how they are scaled by capacity) gives an
exact empirical chance and a verdict — unlikely, realistic, too easy, or not enough
history — with the thresholds of *Organisation settings*.

Batched like the dashboards: counts and sums cost ONE query per metric for every goal and
every past period at once, grouped by person and day (or by month from the monthly
rollups when every period is whole months), then summed into periods in Python; rates,
medians, coverage and retention ask the metric engine once per metric and past period.
Periods over before the ledger's first fact of the metric's source are no history at
all (one more query per source). Unit goals have no "own history" and are left out.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Aggregate, Count, Min, QuerySet, Sum
from django.db.models.functions import TruncDate

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Account, Activity, ActivityMonth, Deal, DealMonth, ManualEntry
from pacesetter.metrics.engine import MAX_IDS_IN_SQL, Window, person_values
from pacesetter.metrics.filters import filters_of
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.realism import HISTORY, MIN_HISTORY, PERIOD_WORDS

ZERO = Decimal(0)
CUMULATIVE = (Metric.Aggregation.COUNT, Metric.Aggregation.SUM)
Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class GoalRealism:
    """A goal's realism and the history it was judged on."""

    goal: Goal
    realism: planning.Realism
    history: tuple[planning.PastPeriod, ...]
    capacity: Decimal

    @property
    def person(self) -> Person:
        """Whose goal it is (realism is judged for people's goals only)."""
        assert self.goal.person is not None
        return self.goal.person

    @property
    def verdict(self) -> str:
        return self.realism.verdict

    @property
    def percent(self) -> Decimal | None:
        return self.realism.percent

    @property
    def explanation(self) -> planning.Explanation:
        return self.realism.explanation


def goal_realism(
    goals: Iterable[Goal],
    today: dt.date,
    *,
    target_text: Callable[[Goal, Metric], str] | None = None,
) -> dict[int, GoalRealism]:
    """The realism of each person goal, by goal id (unit goals and kinds of period without
    a history rule are left out). Only past periods that ended by ``today`` count.
    ``target_text`` writes a goal's target for the explanation (e.g. in its metric's unit);
    plain digits without it."""
    goals = [g for g in goals if g.person_id and g.period_kind in HISTORY]
    if not goals:
        return {}
    org = OrgSettings.load()
    cal = work_calendar()
    metrics = {m.name: m for m in Metric.objects.filter(name__in={g.metric for g in goals})}
    people = _people(goals)
    windows = {
        g.pk: [
            w
            for w in planning.past_windows(
                g.period_kind, g.period_start, g.period_end, HISTORY[g.period_kind]
            )
            if w[1] <= today
        ]
        for g in goals
    }
    by_metric: dict[str, list[Goal]] = defaultdict(list)
    for g in goals:
        if g.metric in metrics:
            by_metric[g.metric].append(g)
    found: dict[int, GoalRealism] = {}
    horizons: dict[str, dt.date | None] = {}
    for name, members in by_metric.items():
        metric = metrics[name]
        if metric.source not in horizons:
            horizons[metric.source] = _ledger_start(metric.source, org.zone)
        horizon = horizons[metric.source]
        # Periods over before the ledger's first fact are missing data, not zeros.
        for g in members:
            windows[g.pk] = [w for w in windows[g.pk] if horizon is not None and w[1] > horizon]
        spans = {w for g in members for w in windows[g.pk]}
        ids = {_person_id(g) for g in members}
        values = _history_values(metric, spans, ids, today, org.zone)
        for g in members:
            person = people[_person_id(g)]
            history = tuple(
                planning.PastPeriod(
                    _label(g.period_kind, start, cal),
                    values.get((_person_id(g), (start, end)), _nothing(metric)),
                    planning.capacity_of(
                        start, end, cal, hired=person.hire_date, left=person.leave_date
                    ),
                )
                for start, end in windows[g.pk]
            )
            room = planning.capacity_of(
                g.period_start, g.period_end, cal, hired=person.hire_date, left=person.leave_date
            )
            realism = planning.chance(
                g.target,
                history,
                capacity=room,
                measure=planning.Measure(
                    cumulative=metric.aggregation in CUMULATIVE,
                    lower_is_better=metric.lower_is_better,
                    whole_units=metric.unit == Metric.Unit.COUNT,
                ),
                thresholds=planning.Thresholds(
                    min_history=MIN_HISTORY[g.period_kind],
                    unlikely_below=org.realism_unlikely_below,
                    too_easy_above=org.realism_too_easy_above,
                ),
                period_word=PERIOD_WORDS[g.period_kind],
                target_text=target_text(g, metric) if target_text else None,
            )
            found[g.pk] = GoalRealism(g, realism, history, room)
    return found


def _ledger_start(source: str, zone: dt.tzinfo) -> dt.date | None:
    """The first day the ledger has facts of ``source`` for (None: it has none). An org that
    imported only its last six months must not read the months before as six zeros. One
    query on an indexed column."""
    if source == Metric.Source.ACTIVITIES:
        first = Activity.objects.aggregate(m=Min("occurred_at"))["m"]
        return first.astimezone(zone).date() if first else None
    if source == Metric.Source.DEALS:
        return Deal.objects.aggregate(m=Min("closed_on"))["m"]
    if source == Metric.Source.ENTRIES:
        return ManualEntry.objects.aggregate(m=Min("first_day"))["m"]
    first = Account.objects.aggregate(m=Min("acquired_on"))["m"]
    return first


def _person_id(goal: Goal) -> int:
    """The person of a person goal (the only goals judged here)."""
    assert goal.person_id is not None
    return goal.person_id


def _people(goals: list[Goal]) -> dict[int, Person]:
    """The goals' people, from the goals when already loaded (one query otherwise)."""
    loaded = {
        _person_id(g): g.person for g in goals if Goal.person.is_cached(g) and g.person is not None
    }
    missing = {_person_id(g) for g in goals} - set(loaded)
    if missing:
        loaded.update(Person.objects.in_bulk(list(missing)))
    return loaded


def _nothing(metric: Metric) -> Decimal | None:
    """A person without rows in a period did none of a count (0), and has no rate."""
    return ZERO if metric.aggregation in CUMULATIVE else None


def _label(kind: str, start: dt.date, cal: planning.WorkCalendar) -> str:
    if kind == "week":
        return planning.week_of(start, cal).label
    if kind == "day":
        return start.isoformat()
    return f"{start:%Y-%m}"


def _history_values(
    metric: Metric, spans: set[Span], ids: set[int], today: dt.date, zone: dt.tzinfo
) -> dict[tuple[int, Span], Decimal | None]:
    """The metric's value per (person, past period)."""
    if not spans:
        return {}
    if metric.aggregation in CUMULATIVE and metric.source != Metric.Source.ACCOUNTS:
        return _summed_into_periods(metric, spans, ids, zone)
    found: dict[tuple[int, Span], Decimal | None] = {}
    for span in sorted(spans):
        values = person_values(metric, Window(*span), ids, as_of=today, zone=zone)
        for person, value in values.items():
            found[(person, span)] = value
    return found


def _summed_into_periods(
    metric: Metric, spans: set[Span], ids: set[int], zone: dt.tzinfo
) -> dict[tuple[int, Span], Decimal | None]:
    """One query for the whole history window, then each period as a difference of running
    totals (so overlapping periods of different goals cost nothing more)."""
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    monthly = all(s.day == 1 and e.day == 1 for s, e in spans)
    rows = _daily_rows(metric, start, end, ids, zone, monthly)
    by_person: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for person, day, value in rows:
        if person in ids:
            by_person[person].append((day, Decimal(value or 0)))
    found: dict[tuple[int, Span], Decimal | None] = {}
    for person, days in by_person.items():
        days.sort()
        dates = [d for d, _ in days]
        running = [ZERO]
        for _, value in days:
            running.append(running[-1] + value)
        for s, e in spans:
            total = running[bisect.bisect_left(dates, e)] - running[bisect.bisect_left(dates, s)]
            found[(person, (s, e))] = total
    return found


def _daily_rows(
    metric: Metric,
    start: dt.date,
    end: dt.date,
    ids: set[int],
    zone: dt.tzinfo,
    monthly: bool,
) -> list[tuple[int, dt.date, Decimal | int | None]]:
    """(person, day or month, value) over ``[start, end)``, with the metric's filters —
    the same rows the engine would add up for any window inside it."""
    f = filters_of(metric)
    total = metric.aggregation == Metric.Aggregation.SUM
    qs: (
        QuerySet[ActivityMonth]
        | QuerySet[Activity]
        | QuerySet[DealMonth]
        | QuerySet[Deal]
        | QuerySet[ManualEntry]
    )
    value: Aggregate
    if metric.source == Metric.Source.ACTIVITIES:
        if monthly:
            qs = ActivityMonth.objects.filter(month__gte=start, month__lt=end, **f.activities())
            fields, value = ("person_id", "month"), Sum("count")
        else:
            qs = Activity.objects.filter(
                occurred_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=zone),
                occurred_at__lt=dt.datetime.combine(end, dt.time(), tzinfo=zone),
                **f.activities(),
            ).annotate(day=TruncDate("occurred_at", tzinfo=zone))
            fields, value = ("person_id", "day"), Count("id")
    elif metric.source == Metric.Source.DEALS:
        if monthly:
            qs = DealMonth.objects.filter(month__gte=start, month__lt=end, **f.deals())
            fields = ("person_id", "month")
            value = Sum("amount") if total else Sum("count")
        else:
            qs = Deal.objects.filter(closed_on__gte=start, closed_on__lt=end, **f.deals())
            fields = ("owner_id", "closed_on")
            value = Sum("amount") if total else Count("id")
    elif metric.source == Metric.Source.ENTRIES:
        qs = ManualEntry.objects.filter(first_day__gte=start, first_day__lt=end, **f.entries())
        fields, value = ("person_id", "first_day"), Sum("value") if total else Count("id")
    else:
        raise ValueError(f"metric {metric.name}: no history for {metric.source}")
    if len(ids) <= MAX_IDS_IN_SQL:
        qs = qs.filter(**{f"{fields[0]}__in": sorted(ids)})
    return list(qs.values_list(*fields).annotate(v=value).order_by())
