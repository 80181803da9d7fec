"""`pacesetter metric` and `pacesetter progress` from the command line."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError

from pacesetter.conftest import run_command
from pacesetter.goals.models import Goal


def test_metric_by_person_in_json(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 3)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 6), 1)
    ledger.done()
    rows = json.loads(run_command("metric demos_held --period 2026-11 --format json"))["rows"]
    assert [(r["person"], r["value"]) for r in rows] == [
        ("Alice Adams", "3"),
        ("Bob Brown", "1"),
        ("Charlie Chen", "0"),
    ]


@pytest.mark.parametrize(
    ("period", "alice"),
    [("2026", "4"), ("2026-Q4", "4"), ("2026-11", "3"), ("2026-W45", "3"), ("2026-W49", "1")],
)
def test_metric_accepts_years_quarters_months_and_weeks(new_york, ledger, period, alice):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 3)  # Thursday of W45
    ledger.activities(new_york.alice, "demo", dt.date(2026, 12, 1), 1)  # Tuesday of W49
    ledger.done()
    rows = json.loads(run_command(f"metric demos_held --period {period} --format json"))["rows"]
    assert rows[0] == {"person": "Alice Adams", "email": "alice@example.com", "value": alice}


def test_metric_by_unit(new_york, ledger):
    ledger.activities(new_york.alice, "call", dt.date(2026, 11, 5), 3)
    ledger.activities(new_york.charlie, "call", dt.date(2026, 11, 5), 2)
    ledger.done()
    rows = json.loads(run_command("metric calls_made --period 2026-11 --by unit --format json"))[
        "rows"
    ]
    assert {r["unit"]: r["value"] for r in rows} == {
        "Americas": "5",
        "Northwind": "5",
        "Team Alpha": "3",
        "Team Beta": "2",
    }


def test_an_unknown_metric_lists_the_known_ones(new_york):
    with pytest.raises(CommandError, match=r"no metric 'revenue'; known metrics: .*revenue_won"):
        run_command("metric revenue --period 2026-11")


def test_progress_lists_goals_at_risk_first_with_what_they_need(new_york, ledger):
    ledger.activities(new_york.alice, "demo", dt.date(2026, 11, 5), 10)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 5), 2)
    ledger.done()
    for person in (new_york.alice, new_york.bob, new_york.charlie):
        Goal.objects.create(
            metric="demos_held",
            person=person,
            period_kind="month",
            period_start=dt.date(2026, 11, 1),
            period_end=dt.date(2026, 12, 1),
            target=Decimal("21"),
        )
    out = json.loads(run_command("progress --period 2026-11 --today 2026-11-16 --format json"))
    assert [(g["assignee"], g["status"], g["needed_per_day"]) for g in out["goals"]] == [
        ("Charlie Chen", "behind", "2"),
        ("Bob Brown", "behind", "2"),
        ("Alice Adams", "on_track", "1"),
    ]
    team = json.loads(run_command("progress --unit 'Team Beta' --today 2026-11-16 --format json"))
    assert [g["assignee"] for g in team["goals"]] == ["Charlie Chen"]
    table = run_command("progress --person alice --today 2026-11-16")
    assert "Alice Adams" in table and "on_track" in table and "Bob" not in table
