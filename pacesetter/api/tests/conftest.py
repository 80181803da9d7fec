"""The small org (see ``pacesetter/conftest.py``) with November 2026's goals, a deal, two
awards, and an API token for each person, plus a revoked and an expired one.

Goals: revenue_won $10,000 for Alice, Bob and Charlie; meetings_booked 40 for Team Alpha
and 30 for Team Beta (team goals). Alice won $12,000 on 10 November. "Today" is the suite's
18 November 2026.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pacesetter.api.tokens import token_create, token_revoke
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Deal
from pacesetter.ledger.rollups import rebuild
from pacesetter.metrics.catalog import CATALOG
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person
from pacesetter.rewards.models import Award, Program, Reward, Rule

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
ROLES = ("admin", "regional", "manager", "rep")


def goal(metric: str, target: int, *, person=None, unit=None, kind="standard") -> Goal:
    return Goal.objects.create(
        metric=metric,
        person=person,
        unit=unit,
        kind=kind,
        period_kind="month",
        period_start=NOV,
        period_end=DEC,
        target=Decimal(target),
        priority=1,
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Each test counts its own requests (the clock is pinned, token ids are reused)."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class ApiOrg:
    org: object
    goals: dict[str, Goal]
    awards: dict[str, Award]
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str | None) -> dict[str, str]:
        if who is None:
            return {}
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}

    def get(self, client: Client, url: str, who: str | None, **params):
        return client.get(url, params, **self.headers(who))

    def post(self, client: Client, url: str, who: str | None, data: dict):
        return client.post(url, data, content_type="application/json", **self.headers(who))


def _award(rule: Rule, person: Person, g: Goal) -> Award:
    return Award.objects.create(
        rule=rule,
        person=person,
        goal=g,
        period_start=NOV,
        value=Decimal(250),
        status=Award.Status.EARNED,
        funded=True,
        detail="revenue goal met",
    )


@pytest.fixture
def api_org(small_org) -> ApiOrg:
    o = small_org
    for entry in CATALOG:  # the data migration loads them; a flushed database lacks them
        Metric.objects.get_or_create(name=entry["name"], defaults={**entry, "built_in": True})
    goals = {
        "alice": goal("revenue_won", 10000, person=o.alice),
        "bob": goal("revenue_won", 10000, person=o.bob),
        "charlie": goal("revenue_won", 10000, person=o.charlie),
        "alpha": goal("meetings_booked", 40, unit=o.alpha, kind="collective"),
        "beta": goal("meetings_booked", 30, unit=o.beta, kind="collective"),
    }
    Deal.objects.create(
        source="test",
        external_id="d1",
        owner=o.alice,
        amount=Decimal(12000),
        stage="Closed Won",
        status="won",
        created_on=dt.date(2026, 10, 20),
        closed_on=dt.date(2026, 11, 10),
    )
    rebuild()
    program = Program.objects.create(name="FY26", budget=Decimal(1000), starts_on=NOV)
    reward = Reward.objects.create(name="$250 bonus", kind=Reward.Kind.CASH, value=Decimal(250))
    rule = Rule.objects.create(
        program=program,
        reward=reward,
        name="Monthly revenue met",
        status=Rule.Status.ACTIVE,
        trigger=Rule.Trigger.GOAL_MET,
        metric="revenue_won",
        period_kind="month",
    )
    awards = {
        "alice": _award(rule, o.alice, goals["alice"]),
        "charlie": _award(rule, o.charlie, goals["charlie"]),
    }
    found = ApiOrg(o, goals, awards)
    people = {"admin": o.admin, "regional": o.regional_manager, "manager": o.manager,
              "rep": o.alice, "bob": o.bob, "charlie": o.charlie}  # fmt: skip
    for who, person in people.items():
        found.tokens[who] = token_create(user=person.user, name=f"{who}'s").raw
    revoked = token_create(user=o.admin.user, name="old")
    token_revoke(token=revoked.token)
    found.tokens["revoked"] = revoked.raw
    expiring = token_create(
        user=o.admin.user, name="short", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    expiring.token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    expiring.token.save()
    found.tokens["expired"] = expiring.raw
    return found
