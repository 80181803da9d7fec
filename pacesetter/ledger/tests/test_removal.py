"""``ledger_rows_remove``: rows deleted in their source leave the ledger and its rollups."""

from __future__ import annotations

import datetime as dt

import pytest

from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Activity, ActivityMonth, Deal, DealMonth
from pacesetter.ledger.removal import ledger_rows_remove
from pacesetter.ledger.rollups import differences
from pacesetter.ledger.signals import ledger_changed

DEALS = """id,name,owner,amount,stage,closed,created
D1,Alder,alice@example.com,5400,Closed Won,2026-10-09,2026-08-12
D2,Beacon,alice@example.com,1200,Closed Won,2026-10-27,2026-09-02
D3,Cinder,bob@example.com,900,Closed Lost,2026-11-02,2026-09-02
"""
CALLS = """id,type,person,occurred
A1,call,alice@example.com,2026-11-02 10:00
A2,call,alice@example.com,2026-11-03 10:00
"""


@pytest.fixture
def ledger(small_org, tmp_path):
    for kind, text in (("deals", DEALS), ("activities", CALLS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        report = run_import(kind, path, options=ImportOptions(source="crm"))
        assert report.committed, report.errors
    return small_org


def test_removed_deals_leave_the_rollups_and_tell_the_ledgers_readers(
    ledger, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, months, **kwargs):
        heard.append(months)

    ledger_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            removed = ledger_rows_remove(
                kind="deals", source="crm", external_ids=["D2", "D3", "D9"]
            )
    finally:
        ledger_changed.disconnect(receiver)
    assert removed == 2
    assert list(Deal.objects.values_list("external_id", flat=True)) == ["D1"]
    won = DealMonth.objects.get(status="won")
    assert (won.month, won.count, won.amount) == (dt.date(2026, 10, 1), 1, 5400)
    assert not DealMonth.objects.filter(status="lost", count__gt=0).exists()
    assert not any(differences().values())
    assert heard == [[dt.date(2026, 10, 1), dt.date(2026, 11, 1)]]


def test_removed_activities_leave_their_month(ledger):
    assert ledger_rows_remove(kind="activities", source="crm", external_ids=["A1"]) == 1
    assert list(Activity.objects.values_list("external_id", flat=True)) == ["A2"]
    assert ActivityMonth.objects.get(kind="call").count == 1
    assert not any(differences().values())


def test_other_sources_and_kinds_are_left_alone(ledger):
    assert ledger_rows_remove(kind="deals", source="elsewhere", external_ids=["D1"]) == 0
    assert ledger_rows_remove(kind="deals", source="crm", external_ids=[]) == 0
    assert Deal.objects.count() == 3
    with pytest.raises(ValueError, match="cannot remove entries"):
        ledger_rows_remove(kind="entries", source="crm", external_ids=["x"])
