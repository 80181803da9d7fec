"""Goals, a plan and a check-in on top of the small org, dated around today.

Period windows are chosen so that the pace is defined whatever day the tests run: each
goal runs from 20 days ago to 10 days ahead (some working days are always behind us).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.coaching.models import CheckIn
from pacesetter.goals.models import Goal, GoalChange, Plan
from pacesetter.goals.services import CascadeOptions, plan_create_cascade
from pacesetter.ledger.models import Activity
from pacesetter.metrics.catalog import CATALOG
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person, Role, Unit
from pacesetter.org.selectors import today_in_org, work_calendar


@dataclass
class WebOrg:
    org: object  # SmallOrg
    today: dt.date
    alice_demos: Goal  # Alice: on track
    bob_demos: Goal  # Bob: behind
    charlie_demos: Goal
    bob_development: Goal
    alpha_meetings: Goal  # a collective goal of Team Alpha
    beta_meetings: Goal
    alice_entries: Goal  # this week's professional-development events
    plan: Plan
    checkin: CheckIn


def make_goal(
    metric: str,
    start: dt.date,
    end: dt.date,
    target: int,
    *,
    person: Person | None = None,
    unit: Unit | None = None,
    kind: str = "standard",
    priority: int = 3,
    period_kind: str = "month",
) -> Goal:
    goal = Goal.objects.create(
        metric=metric,
        person=person,
        unit=unit,
        period_kind=period_kind,
        period_start=start,
        period_end=end,
        target=Decimal(target),
        kind=kind,
        priority=priority,
    )
    GoalChange.objects.create(goal=goal, new_target=goal.target, reason="test goal")
    return goal


def log_demos(person: Person, count: int, since: dt.date, today: dt.date) -> None:
    """``count`` demos spread over the working days from ``since`` to yesterday."""
    zone = OrgSettings.load().zone
    days = planning.working_days((since, today), work_calendar()) or [since]
    Activity.objects.bulk_create(
        Activity(
            source="test",
            external_id=f"demo-{person.pk}-{i}",
            kind="demo",
            person=person,
            occurred_at=dt.datetime.combine(days[i % len(days)], dt.time(11), tzinfo=zone),
        )
        for i in range(count)
    )


def ensure_metric_catalog() -> None:
    """The built-in metrics (a data migration loads them; a live-server test's flush drops
    them for the tests that follow)."""
    for entry in CATALOG:
        Metric.objects.get_or_create(name=entry["name"], defaults={**entry, "built_in": True})


@pytest.fixture
def web_org(small_org) -> WebOrg:
    ensure_metric_catalog()
    today = today_in_org()
    start, end = today - dt.timedelta(days=20), today + dt.timedelta(days=10)
    o = small_org
    alice_demos = make_goal("demos_held", start, end, 30, person=o.alice, priority=1)
    bob_demos = make_goal("demos_held", start, end, 30, person=o.bob, priority=1)
    charlie_demos = make_goal("demos_held", start, end, 30, person=o.charlie, priority=1)
    log_demos(o.alice, 30, start, today)
    log_demos(o.bob, 2, start, today)
    bob_development = make_goal(
        "pd_events", start, end, 1, person=o.bob, kind="development", priority=9
    )
    alpha = make_goal("meetings_booked", start, end, 40, unit=o.alpha, kind="collective")
    beta = make_goal("meetings_booked", start, end, 20, unit=o.beta, kind="collective")
    week = planning.week_of(today, work_calendar())
    alice_entries = make_goal(
        "pd_events", week.start, week.end, 1, person=o.alice, period_kind="week", priority=5
    )
    Role.objects.create(person=o.charlie, kind=Role.Kind.MENTOR, mentee=o.bob)
    plan = plan_create_cascade(
        name="FY-test",
        year=today.year + 1,
        annual_target=Decimal(1200000),
        options=CascadeOptions(seasonality="flat"),
    )
    checkin = CheckIn.objects.create(
        person=o.alice, goal=alice_demos, realistic=4, challenging=3, achievable=4, comment="ok"
    )
    return WebOrg(
        o,
        today,
        alice_demos,
        bob_demos,
        charlie_demos,
        bob_development,
        alpha,
        beta,
        alice_entries,
        plan,
        checkin,
    )
