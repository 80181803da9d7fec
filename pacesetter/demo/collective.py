"""The demo's collective goals (M9) and competitions (G9), so both team pages have life.

For each team with reps this month:

* a **collective goal**: every member meets their monthly revenue goal (the plan's goals, so
  ramping new hires carry small ones) — the team's happy hour, in the source's words;
* a **competition** on meetings booked — reusing the G9 goal ``set_example_goals`` creates,
  adding one only where a team has none;
* each rep's own monthly **meetings-booked goal**, so the competition can rank fairly by
  percent of goal: the team's target split in proportion to the reps' revenue goals, which
  inherits the plan's ramp and proration (a new hire's share is as small as their quota).

Running it again creates nothing new: every goal is looked for before it is made.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

from pacesetter import planning
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.metrics.engine import Window, unit_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, Role, Unit
from pacesetter.planning.calendar import add_months

COLLECTIVE_METRIC = "revenue_won"
COMPETITION_METRIC = "meetings_booked"


def set_up_collective(as_of: dt.date) -> int:
    """Create this month's collective goals, competitions and reps' meetings goals where
    missing; returns how many goals were created."""
    month = planning.month_of(as_of)
    rep_ids = Role.objects.filter(kind=Role.Kind.REP).values("person_id")
    members: dict[int, set[int]] = defaultdict(set)
    for unit_id, person_id in (
        Membership.objects.filter(unit__kind=Unit.Kind.TEAM, person_id__in=rep_ids)
        .overlapping(month.start, month.end)
        .values_list("unit_id", "person_id")
    ):
        members[unit_id].add(person_id)
    if not members:
        return 0
    teams = sorted(members)
    everyone = set().union(*members.values())
    this_month = Goal.objects.filter(
        period_kind="month", period_start=month.start, period_end=month.end
    )
    existing = {
        (g.kind, g.metric, g.unit_id, g.person_id): g
        for g in this_month.filter(
            metric__in=(COLLECTIVE_METRIC, COMPETITION_METRIC),
            kind__in=(Goal.Kind.STANDARD, Goal.Kind.COLLECTIVE, Goal.Kind.COMPETITION),
        )
    }
    revenue_goal = {
        person: g.target
        for (kind, metric, _, person), g in existing.items()
        if kind == Goal.Kind.STANDARD and metric == COLLECTIVE_METRIC and person in everyone
    }

    new: list[Goal] = []

    def add(metric: str, kind: str, target: Decimal, note: str, *, unit: int | None = None,
            person: int | None = None, priority: int = 3) -> None:  # fmt: skip
        if (kind, metric, unit, person) in existing:
            return
        goal = Goal(
            metric=metric,
            unit_id=unit,
            person_id=person,
            kind=kind,
            period_kind="month",
            period_start=month.start,
            period_end=month.end,
            target=target,
            priority=priority,
            note=note,
        )
        existing[(kind, metric, unit, person)] = goal
        new.append(goal)

    missing_competition = [
        t for t in teams if (Goal.Kind.COMPETITION, COMPETITION_METRIC, t, None) not in existing
    ]
    booked = {}
    if missing_competition:
        meetings = Metric.objects.get(name=COMPETITION_METRIC)
        last_month = Window(add_months(month.start, -1), month.start)
        booked = unit_values(meetings, last_month, missing_competition, as_of=as_of)

    for team in teams:
        team_revenue = existing.get((Goal.Kind.STANDARD, COLLECTIVE_METRIC, team, None))
        quota = (
            team_revenue.target
            if team_revenue is not None
            else sum((revenue_goal.get(p, Decimal(0)) for p in members[team]), Decimal(0))
        )
        add(COLLECTIVE_METRIC, Goal.Kind.COLLECTIVE, quota,
            "M9: everyone meets their monthly revenue goal — the team's happy hour is on us",
            unit=team, priority=2)  # fmt: skip
        target = Decimal(math.ceil((booked.get(team) or 0) * Decimal("1.05")))
        add(COMPETITION_METRIC, Goal.Kind.COMPETITION, target,
            "G9: most meetings booked in the team wins", unit=team)  # fmt: skip
        competition = existing[(Goal.Kind.COMPETITION, COMPETITION_METRIC, team, None)]
        shares = {p: revenue_goal[p] for p in members[team] if revenue_goal.get(p)}
        total = sum(shares.values(), Decimal(0))
        for person, share in sorted(shares.items()):
            own = max(1, math.ceil(competition.target * share / total)) if total else 1
            add(COMPETITION_METRIC, Goal.Kind.STANDARD, Decimal(own),
                "G9: meetings to book, in proportion to your revenue goal", person=person,
                priority=4)  # fmt: skip

    Goal.objects.bulk_create(new)  # SQLite and PostgreSQL both hand back the new ids
    GoalChange.objects.bulk_create(
        [GoalChange(goal=g, new_target=g.target, reason="demo: collective goals") for g in new]
    )
    return len(new)
