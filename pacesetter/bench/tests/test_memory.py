"""The in-memory limit computes what the raw-SQL baseline computes: the same value for every
person, metric and period, on a small ledger with every kind of row the catalog reads.
(How fast it is, is ``make bench``'s question, not a test's.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter.bench.baseline import progress_baseline
from pacesetter.bench.memory import ledger_in_memory, progress_in_memory
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.metrics.catalog import CATALOG
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings
from pacesetter.web.tests.conftest import ensure_metric_catalog

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
WEEK = (dt.date(2026, 11, 16), dt.date(2026, 11, 23))
QUARTER = (dt.date(2026, 10, 1), dt.date(2027, 1, 1))


def _ledger(org) -> None:
    """Activities of every kind (some on a month's edge in New York), deals won, lost and
    open, customers old, new and gone, and reported numbers, for Alice, Bob and Charlie."""
    zone = OrgSettings.load().zone
    kinds = ["email", "call", "meeting_booked", "meeting", "demo", "article"]
    people = [org.alice, org.bob, org.charlie]
    accounts = [
        Account.objects.create(source="t", external_id=f"a{i}", name=f"A{i}",
                               owner=people[i % 3], segment=["", "enterprise"][i % 2],
                               acquired_on=dt.date(2026, 5 + i % 6, 10),
                               churned_on=dt.date(2026, 11, 20) if i % 5 == 0 else None)
        for i in range(12)
    ]  # fmt: skip
    moments = [dt.datetime(2026, 10, 31, 23, 30, tzinfo=zone),  # October in New York
               dt.datetime(2026, 11, 1, 0, 15, tzinfo=zone)]  # fmt: skip
    moments += [dt.datetime(2026, 11, 1 + d, 9, tzinfo=zone) for d in range(0, 29, 2)]
    Activity.objects.bulk_create(
        Activity(source="t", external_id=f"x{i}", kind=kinds[i % 6], person=people[i % 3],
                 occurred_at=moments[i % len(moments)],
                 account=accounts[i % 12] if i % 4 else None,
                 segment="enterprise" if i % 3 == 1 else "")
        for i in range(300)
    )  # fmt: skip
    for i in range(30):
        status = ["won", "lost", "open"][i % 3]
        Deal.objects.create(
            source="t", external_id=f"d{i}", owner=people[i % 3], stage=status, status=status,
            amount=Decimal(1000 + 37 * i), created_on=dt.date(2026, 6, 1 + i % 28),
            closed_on=None if status == "open" else dt.date(2026, 10 + i % 3, 1 + i % 28),
        )  # fmt: skip
    for i, person in enumerate(people):
        for day in (dt.date(2026, 11, 2), WEEK[0]):
            ManualEntry.objects.create(source="t", external_id=f"e{i}-{day}", person=person,
                                       metric="pd_events", first_day=day,
                                       value=Decimal(i + 1))  # fmt: skip


def _plain(value):
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    return None if value is None else round(float(value), 6)


def _by_person(frame) -> dict[int, object]:
    columns = [c for c in frame.columns if c != "person"]
    return {
        row["person"]: _plain(
            tuple(row[c] for c in columns) if len(columns) > 1 else row[columns[0]]
        )
        for row in frame.iter_rows(named=True)
    }


@pytest.mark.django_db
def test_every_metric_and_period_matches_the_raw_sql_baseline(small_org):
    ensure_metric_catalog()
    _ledger(small_org)
    zone = OrgSettings.load().zone
    metrics = {m.name: m for m in Metric.objects.all()}
    groups = {(entry["name"], *period): None for entry in CATALOG
              for period in (NOVEMBER, WEEK, QUARTER)}  # fmt: skip

    expected = progress_baseline(groups, metrics, zone)
    ledger = ledger_in_memory(groups, zone)
    found = progress_in_memory(ledger, groups, metrics, zone)

    assert found.keys() == expected.keys() == groups.keys()
    for group, values in expected.items():
        assert _by_person(found[group]) == {p: _plain(v) for p, v in values.items()}, group
    # The ledger above is not empty where it matters: the test compares real numbers.
    assert expected[("calls_made", *NOVEMBER)] and expected[("revenue_won", *QUARTER)]
    assert expected[("new_customer_coverage", *NOVEMBER)]
    assert expected[("pd_events", *WEEK)] and expected[("lead_to_customer_days", *QUARTER)]
