"""Mentoring on top of the small org (pacesetter/conftest.py), with two more reps: Dana in
Team Beta and Evan in Team Alpha. Everyone was hired on 1 January 2025.

``strong_where_weak`` writes three months of numbers (the comparison window of the
suggestions) in which Bob is weak on close rate and calls, and each colleague is strong
somewhere else:

| rep      | calls | demos | meetings booked | won / closed | revenue won  |
|----------|-------|-------|-----------------|--------------|--------------|
| Bob      |    40 |    10 |               5 | 1 / 10 (10 %)| 1 × $3,000   |
| Alice    |   100 |    30 |              20 | 3 / 10 (30 %)| 3 × $1,000   |
| Charlie  |    90 |    10 |               5 | 4 / 10 (40 %)| 4 × $750     |
| Dana     |   110 |    10 |               5 | 2 / 10 (20 %)| 2 × $1,500   |
| Evan     |   120 |    10 |               5 | 3 / 10 (30 %)| 3 × $1,000   |

Bob's peers' medians: calls (90, 100, 110, 120) → 105; close rate (20, 30, 30, 40) → 30 %;
demos 10, meetings 5, revenue $3,000 — where Bob is not behind. Alice, the strongest on
demos and meetings, is no help on what Bob lacks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from pacesetter.coaching.suggestions import comparison_window
from pacesetter.conftest import SmallOrg, make_person
from pacesetter.ledger.models import Activity, Deal, ManualEntry
from pacesetter.ledger.rollups import rebuild
from pacesetter.metrics.engine import Window
from pacesetter.org.models import Membership, Person, Role
from pacesetter.web.tests.conftest import ensure_metric_catalog

TODAY = dt.date(2026, 11, 16)  # comparison window: August to October 2026
NOVEMBER = Window(dt.date(2026, 11, 1), dt.date(2026, 12, 1))


@dataclass
class MentorOrg:
    org: SmallOrg
    dana: Person
    evan: Person

    def __getattr__(self, name: str) -> object:  # mentor_org.bob is mentor_org.org.bob
        return getattr(self.org, name)


@pytest.fixture
def mentor_org(small_org) -> MentorOrg:
    ensure_metric_catalog()
    dana = make_person("Dana Diaz")
    evan = make_person("Evan Evans")
    for person, team in ((dana, small_org.beta), (evan, small_org.alpha)):
        Role.objects.create(person=person, kind=Role.Kind.REP)
        Membership.objects.create(person=person, unit=team, valid_from=dt.date(2025, 1, 1))
    return MentorOrg(small_org, dana, evan)


class Ledger:
    """Ledger rows the way an importer writes them; ``done()`` brings the rollups up to date."""

    def __init__(self) -> None:
        self.n = 0

    def _id(self) -> str:
        self.n += 1
        return f"t{self.n}"

    def activities(self, person: Person, kind: str, count: int, window: Window) -> None:
        days = (window.end - window.start).days
        Activity.objects.bulk_create(
            Activity(
                source="test",
                external_id=self._id(),
                kind=kind,
                person=person,
                occurred_at=dt.datetime.combine(
                    window.start + dt.timedelta(days=(i * 7) % days), dt.time(12), tzinfo=dt.UTC
                ),
            )
            for i in range(count)
        )

    def deals(self, person: Person, won: int, lost: int, amount: str, window: Window) -> None:
        closed = window.start + dt.timedelta(days=20)
        Deal.objects.bulk_create(
            Deal(
                source="test",
                external_id=self._id(),
                owner=person,
                amount=Decimal(amount),
                stage="Closed Won" if i < won else "Closed Lost",
                status="won" if i < won else "lost",
                created_on=window.start,
                closed_on=closed,
            )
            for i in range(won + lost)
        )

    def entry(self, person: Person, metric: str, first_day: dt.date, value: int) -> None:
        ManualEntry.objects.create(
            source="test",
            external_id=self._id(),
            person=person,
            metric=metric,
            first_day=first_day,
            value=Decimal(value),
        )

    def done(self) -> None:
        rebuild()


@pytest.fixture
def ledger(mentor_org) -> Ledger:
    return Ledger()


NUMBERS = {  # calls, demos, meetings booked, won, lost, amount of each won deal
    "bob": (40, 10, 5, 1, 9, "3000"),
    "alice": (100, 30, 20, 3, 7, "1000"),
    "charlie": (90, 10, 5, 4, 6, "750"),
    "dana": (110, 10, 5, 2, 8, "1500"),
    "evan": (120, 10, 5, 3, 7, "1000"),
}


def strong_where_weak(mentor_org: MentorOrg, today: dt.date) -> None:
    """The table of the module docstring, in the three whole months before ``today``'s."""
    window = comparison_window(today)
    ledger = Ledger()
    for name, (calls, demos, booked, won, lost, amount) in NUMBERS.items():
        person = getattr(mentor_org, name)
        ledger.activities(person, "call", calls, window)
        ledger.activities(person, "demo", demos, window)
        ledger.activities(person, "meeting_booked", booked, window)
        # Lost deals are worth nothing here: only won amounts count as revenue.
        ledger.deals(person, won, 0, amount, window)
        ledger.deals(person, 0, lost, "100", window)
    ledger.done()
