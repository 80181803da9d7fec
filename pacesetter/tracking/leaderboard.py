"""Competitions (G9: book the most meetings in the team): ranks with ties, fair by default.

``team_leaderboard`` ranks the reps of some units on a metric over a period by the same
rule as the competitions (the My goals and team pages' meetings-booked board), so both
boards agree; ``leaderboard`` ranks by raw value only (the digest's board).
``competition_standings`` ranks the reps of a competition goal's team, and is fair by
default: by percent of each rep's own goal for the
metric and period, which the plan already ramp-adjusted — so a new rep with a small goal who
beats it can outrank a veteran with a big one. ``basis="raw"`` ranks by raw totals instead,
and ``cohort="tenure"`` ranks within tenure bands (new hires against new hires).

Equal values share a rank and the next rank is skipped (=1, =1, 3 as boards show it:
``Standing.rank_label``); lower-is-better metrics
rank ascending on raw values (a percent of goal is already higher-is-better: target ÷ actual).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import Min

from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window, person_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings, Person, Role
from pacesetter.org.selectors import members_on
from pacesetter.tracking.collective import reps_by_goal

BASES = ("percent", "raw")
COHORTS = ("tenure",)
# Tenure bands by whole months with the company at the competition's start, newest first.
TENURE_BANDS = ((6, "< 6 months"), (12, "6–12 months"), (24, "1–2 years"), (None, "2+ years"))
UNKNOWN_TENURE = "tenure unknown"
NO_GOAL_NOTE = "no goal set"
NO_DATA_NOTE = "no data yet"

T = TypeVar("T")


@dataclass(frozen=True)
class Standing:
    rank: int
    person: Person
    value: Decimal | None
    tied: bool
    percent: Decimal | None = None  # of the person's own goal (competition standings)
    cohort: str = ""  # the tenure band ranked within, when ranking by cohort
    target: Decimal | None = None  # the person's own goal, if they have one
    note: str = ""  # why someone ranks last: no goal set, no data yet

    @property
    def rank_label(self) -> str:
        """The rank as a board shows it: "=1" for a shared first place, "3" otherwise."""
        return f"={self.rank}" if self.tied else str(self.rank)


def _reps_of(unit_ids: list[int], window: Window, as_of: dt.date) -> list[Person]:
    """The reps among the units' members on the window's last day (or ``as_of`` if earlier)."""
    day = min(as_of, window.end - dt.timedelta(days=1))
    members = members_on(unit_ids, day)
    rep_ids = set(
        Role.objects.filter(kind=Role.Kind.REP, person__in=members).values_list(
            "person_id", flat=True
        )
    )
    return [p for p in members if p.pk in rep_ids]


def leaderboard(
    metric: Metric, unit_ids: list[int], window: Window, *, as_of: dt.date
) -> list[Standing]:
    """The reps of the units (members on the window's last day, or today if earlier), best
    first by raw value. Equal values share a rank and the next rank is skipped (1, 1, 3)."""
    reps = _reps_of(unit_ids, window, as_of)
    values = person_values(metric, window, [p.pk for p in reps], as_of=as_of)
    lower = metric.lower_is_better
    ranked = rank(reps, lambda p: _raw_key(values[p.pk], lower), lambda p: p.full_name)
    return [Standing(r, p, values[p.pk], tied) for r, p, tied in ranked]


def rank(
    items: list[T], key: Callable[[T], Hashable], name: Callable[[T], str]
) -> list[tuple[int, T, bool]]:
    """(rank, item, tied) best first: ``key`` orders (smaller is better) and decides ties;
    ``name`` only orders tied items for reading. Ties share a rank; the next is skipped."""
    ordered = sorted(items, key=lambda i: (key(i), name(i)))
    keys = [key(i) for i in ordered]
    counts: dict[Hashable, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    result: list[tuple[int, T, bool]] = []
    for i, (item, k) in enumerate(zip(ordered, keys, strict=True)):
        place = result[-1][0] if i and keys[i - 1] == k else i + 1
        result.append((place, item, counts[k] > 1))
    return result


def _raw_key(value: Decimal | None, lower: bool) -> tuple:
    """Best first; people without a value (a rate with nothing closed) last."""
    if value is None:
        return (1, Decimal(0))
    return (0, value if lower else -value)


def team_leaderboard(
    metric: Metric, unit_ids: list[int], period: tuple[str, dt.date, dt.date], *, as_of: dt.date
) -> list[Standing]:
    """The units' reps on ``metric`` over ``period`` (kind, start, end), ranked as a team
    competition ranks by default: by percent of each rep's own goal for the metric and
    period; reps without a goal (or without data) after them, by raw value.

    A handful of queries whatever the team's size: the members, their rep roles, one
    metric query and their own goals.
    """
    kind, start, end = period
    window = Window(start, end)
    reps = _reps_of(unit_ids, window, as_of)
    ids = [p.pk for p in reps]
    values = person_values(metric, window, ids, as_of=as_of, zone=OrgSettings.load().zone)
    targets = _targets(metric.name, kind, start, end, ids)
    return _ranked(reps, metric, values, targets, basis="percent")


def _ranked(
    people: list[Person],
    metric: Metric,
    values: dict[int, Decimal | None],
    targets: dict[int, Decimal],
    *,
    basis: str,
    bands: list[tuple[str, list[Person]]] | None = None,
) -> list[Standing]:
    """Standings by ``basis`` (percent of own goal or raw), within each band (one band of
    everyone by default): the one rule every board shares."""
    lower = metric.lower_is_better
    percents = {
        p.pk: percent_of_goal(values[p.pk], targets[p.pk], lower) if p.pk in targets else None
        for p in people
    }
    key = _ranking_key(basis, values, percents, lower)
    standings: list[Standing] = []
    for band, members in bands if bands is not None else [("", people)]:
        for place, person, tied in rank(members, key, lambda p: p.full_name):
            pk = person.pk
            note = _note(pk in targets, values[pk])
            standings.append(
                Standing(place, person, values[pk], tied, percents[pk], band, targets.get(pk), note)
            )
    return standings


def percent_of_goal(value: Decimal | None, target: Decimal, lower: bool) -> Decimal | None:
    """Attainment as ``GoalProgress`` computes it: actual ÷ target, or target ÷ actual when
    lower is better; None without a value."""
    if value is None:
        return None
    if lower:
        if not value:
            return Decimal(100) if target else None
        return (target / value * 100).quantize(Decimal("0.1"))
    if not target:
        return Decimal(100)
    return (value / target * 100).quantize(Decimal("0.1"))


def competition_standings(
    goal: Goal, today: dt.date, *, basis: str = "percent", cohort: str | None = None
) -> list[Standing]:
    """The reps of the competition goal's team (members on any day of its period), ranked
    on its metric over its period as of ``today``; by cohort band, then rank, when asked.

    A handful of queries whatever the team's size: members, their goals, one metric query.
    """
    metric = _competition_metric(goal, basis, cohort)
    people = [s.person for s in reps_by_goal([goal])[goal.pk]]
    if not people:
        return []
    ids = [p.pk for p in people]
    window = Window(goal.period_start, goal.period_end)
    values = person_values(metric, window, ids, as_of=today, zone=OrgSettings.load().zone)
    targets = _targets(goal.metric, goal.period_kind, goal.period_start, goal.period_end, ids)
    bands = _cohorts(people, goal.period_start, cohort)
    return _ranked(people, metric, values, targets, basis=basis, bands=bands)


def _competition_metric(goal: Goal, basis: str, cohort: str | None) -> Metric:
    """The metric a competition goal ranks on; ValueError for a goal or a ranking that
    cannot be a competition's."""
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}: use one of {', '.join(BASES)}")
    if cohort is not None and cohort not in COHORTS:
        raise ValueError(f"unknown cohort {cohort!r}: use one of {', '.join(COHORTS)}")
    if goal.unit_id is None:
        raise ValueError(f"goal {goal.pk} belongs to a person: a competition runs in a unit")
    metric = Metric.objects.filter(name=goal.metric).first()
    if metric is None:
        raise ValueError(f"goal {goal.pk} measures unknown metric {goal.metric!r}")
    return metric


def _targets(
    metric: str, kind: str, start: dt.date, end: dt.date, ids: list[int]
) -> dict[int, Decimal]:
    """Each rep's own (standard) goal for the metric and period, by person id."""
    return dict(
        Goal.objects.filter(
            person_id__in=ids,
            kind=Goal.Kind.STANDARD,
            metric=metric,
            period_kind=kind,
            period_start=start,
            period_end=end,
        ).values_list("person_id", "target")
    )


def _ranking_key(
    basis: str,
    values: dict[int, Decimal | None],
    percents: dict[int, Decimal | None],
    lower: bool,
) -> Callable[[Person], tuple]:
    """The order of the standings (smaller first): raw values, or percents of own goals."""

    def key(person: Person) -> tuple:
        if basis == "raw":
            return _raw_key(values[person.pk], lower)
        percent = percents[person.pk]
        if percent is not None:
            return (0, -percent)
        # Without a percent (no goal, or no value yet) a rep ranks after everyone with one,
        # among the others by raw value.
        return (1, *_raw_key(values[person.pk], lower))

    return key


def _cohorts(
    people: list[Person], day: dt.date, cohort: str | None
) -> list[tuple[str, list[Person]]]:
    """The people by tenure band on ``day``, newest first (all in one band "" without a
    cohort)."""
    bands = _tenure_bands(people, day) if cohort == "tenure" else {}
    groups: dict[str, list[Person]] = {}
    for person in people:
        groups.setdefault(bands.get(person.pk, ""), []).append(person)
    order = [label for _, label in TENURE_BANDS] + [UNKNOWN_TENURE, ""]
    return [(band, groups[band]) for band in sorted(groups, key=order.index)]


def _note(has_goal: bool, value: Decimal | None) -> str:
    """Why someone ranks last: no goal set, no data yet."""
    if not has_goal:
        return NO_GOAL_NOTE
    if value is None:
        return NO_DATA_NOTE
    return ""


def tenure_months(start: dt.date, day: dt.date) -> int:
    """Whole months from ``start`` to ``day`` (negative before the start)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - 1 if day.day < start.day else months


def tenure_band(months: int) -> str:
    for limit, label in TENURE_BANDS:
        if limit is None or months < limit:
            return label
    raise AssertionError("the last band has no limit")


def _tenure_bands(people: list[Person], day: dt.date) -> dict[int, str]:
    """Each person's tenure band on ``day``: from their hire date, or else from their first
    membership (one query, only for people without a hire date)."""
    unknown = [p.pk for p in people if p.hire_date is None]
    first: dict[int, dt.date] = {}
    if unknown:
        first = dict(
            Membership.objects.filter(person_id__in=unknown)
            .values("person_id")
            .annotate(first=Min("valid_from"))
            .values_list("person_id", "first")
        )
    bands = {}
    for person in people:
        start = person.hire_date or first.get(person.pk)
        bands[person.pk] = (
            UNKNOWN_TENURE if start is None else tenure_band(tenure_months(start, day))
        )
    return bands
