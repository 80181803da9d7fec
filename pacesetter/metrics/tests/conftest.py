"""A hand-built ledger for November 2026 in New York, small enough to check by eye.

Working days in November 2026 (Mon–Fri, no holidays here): the 2nd–6th, 9th–13th,
16th–20th, 23rd–27th and the 30th: 21 days. "Today" in these tests is Monday the 16th
unless a test says otherwise: 10 working days have passed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.ledger.rollups import rebuild
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings

NEW_YORK = ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 16)


class LedgerBuilder:
    """Writes ledger rows the way an importer would, then brings the rollups up to date."""

    def __init__(self) -> None:
        self.n = 0

    def _id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def activity(self, person, kind: str, when: dt.datetime, account=None, segment=""):
        return Activity.objects.create(
            source="test",
            external_id=self._id("a"),
            kind=kind,
            person=person,
            occurred_at=when,
            account=account,
            segment=segment or (account.segment if account else ""),
        )

    def activities(self, person, kind: str, day: dt.date, count: int, **kwargs) -> None:
        for i in range(count):
            self.activity(person, kind, at(day, 10 + i % 8), **kwargs)

    def deal(self, owner, amount: str, status: str, created: dt.date, closed: dt.date | None,
             segment: str = "") -> Deal:  # fmt: skip
        return Deal.objects.create(
            source="test",
            external_id=self._id("d"),
            owner=owner,
            amount=Decimal(amount),
            stage={"won": "Closed Won", "lost": "Closed Lost"}.get(status, "Proposal"),
            status=status,
            created_on=created,
            closed_on=closed,
            segment=segment,
        )

    def account(self, owner, acquired: dt.date | None, churned: dt.date | None = None,
                segment: str = "smb") -> Account:  # fmt: skip
        return Account.objects.create(
            source="test",
            external_id=self._id("c"),
            name=f"Account {self.n}",
            owner=owner,
            segment=segment,
            acquired_on=acquired,
            churned_on=churned,
        )

    def entry(self, person, metric: str, first_day: dt.date, value: str) -> None:
        ManualEntry.objects.create(
            source="test",
            external_id=self._id("m"),
            person=person,
            metric=metric,
            first_day=first_day,
            value=Decimal(value),
        )

    def done(self) -> None:
        rebuild()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in New York."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NEW_YORK)


@pytest.fixture
def new_york(small_org):
    org = OrgSettings.load()
    org.time_zone = "America/New_York"
    org.save()
    return small_org


@pytest.fixture
def ledger(new_york) -> LedgerBuilder:
    return LedgerBuilder()


def metric(name: str) -> Metric:
    return Metric.objects.get(name=name)
