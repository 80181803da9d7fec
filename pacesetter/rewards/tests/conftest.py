"""November 2026 for the small org (in UTC), small enough to check by eye.

Alice, Bob (Team Alpha) and Charlie (Team Beta) each have a monthly revenue goal of $10,000
for November. The "FY26 incentives" program has $1,000 a month to spend, and a $250 cash
bonus is the usual reward. "Today" is 2 December 2026 — November is over — unless a test
says otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Activity, Deal
from pacesetter.ledger.rollups import rebuild
from pacesetter.metrics.catalog import CATALOG
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person, Unit
from pacesetter.rewards.models import Program, Reward, Rule
from pacesetter.rewards.services import ComputeResult, awards_compute

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
TODAY = dt.date(2026, 12, 2)
NOVEMBER = planning.month_period(2026, 11)


def make_goal(
    metric: str,
    target: int | str,
    *,
    person: Person | None = None,
    unit: Unit | None = None,
    kind: str = Goal.Kind.STANDARD,
    priority: int = 1,
    start: dt.date = NOV,
    end: dt.date = DEC,
    period_kind: str = "month",
    tier_of: Goal | None = None,
) -> Goal:
    return Goal.objects.create(
        metric=metric,
        person=person,
        unit=unit,
        period_kind=period_kind,
        period_start=start,
        period_end=end,
        target=Decimal(target),
        kind=kind,
        priority=priority,
        tier_of=tier_of,
    )


class Books:
    """Writes ledger rows the way an importer would, then brings the rollups up to date."""

    def __init__(self) -> None:
        self.n = 0

    def won(self, owner: Person, amount: str, closed: dt.date = dt.date(2026, 11, 10)) -> Deal:
        self.n += 1
        deal = Deal.objects.create(
            source="test",
            external_id=f"d{self.n}",
            owner=owner,
            amount=Decimal(amount),
            stage="Closed Won",
            status="won",
            created_on=closed - dt.timedelta(days=20),
            closed_on=closed,
        )
        rebuild()
        return deal

    def activities(self, person: Person, kind: str, count: int, day: dt.date) -> None:
        for _ in range(count):
            self.n += 1
            Activity.objects.create(
                source="test",
                external_id=f"a{self.n}",
                kind=kind,
                person=person,
                occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
            )
        rebuild()


@pytest.fixture
def books(small_org) -> Books:
    for entry in CATALOG:  # the data migration loads them; a flushed database lacks them
        Metric.objects.get_or_create(name=entry["name"], defaults={**entry, "built_in": True})
    return Books()


@pytest.fixture
def revenue_goals(small_org, books) -> dict[str, Goal]:
    o = small_org
    return {
        p.full_name.split()[0].lower(): make_goal("revenue_won", 10000, person=p)
        for p in (o.alice, o.bob, o.charlie)
    }


@pytest.fixture
def program(db) -> Program:
    return Program.objects.create(
        name="FY26 incentives", budget=Decimal(1000), starts_on=dt.date(2026, 1, 1)
    )


@pytest.fixture
def bonus(db) -> Reward:
    return Reward.objects.create(name="$250 bonus", kind=Reward.Kind.CASH, value=Decimal(250))


def active_rule(program: Program, reward: Reward, name: str = "Monthly revenue met",
                **fields: object) -> Rule:  # fmt: skip
    fields.setdefault("trigger", Rule.Trigger.GOAL_MET)
    return Rule.objects.create(
        program=program, reward=reward, name=name, status=Rule.Status.ACTIVE, **fields
    )


@pytest.fixture
def revenue_rule(program, bonus) -> Rule:
    return active_rule(program, bonus, metric="revenue_won", period_kind="month")


def compute(today: dt.date = TODAY, period: planning.Period = NOVEMBER) -> ComputeResult:
    return awards_compute(period=period, today=today)
