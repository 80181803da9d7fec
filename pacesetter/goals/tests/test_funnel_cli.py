"""`pacesetter plan funnel` and `plan waterfall`: the source's numbers, exactly."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError

from pacesetter.conftest import run_command
from pacesetter.ledger.models import Activity, Deal
from pacesetter.org.models import OrgSettings


def run(command: str) -> str:
    return run_command("plan " + command)


# The source's example: $4,000, $1,000 a deal, 50 % of demos close, 30 % of calls give a demo.
SOURCE_FUNNEL = "funnel --revenue 4000 --deal-size 1000 --rate demo:deal=0.5 --rate call:demo=0.3"


@pytest.fixture
def org_settings(db):
    return OrgSettings.load()


def test_four_thousand_dollars_needs_four_deals_eight_demos_twenty_seven_calls(org_settings):
    document = json.loads(run(f"{SOURCE_FUNNEL} --format json"))
    assert document["needed"] == {"deal": 4, "demo": 8, "call": 27}


def test_the_funnel_per_working_day_rounds_up(org_settings):
    # December 2026 has 23 weekdays; the org has no holidays here.
    document = json.loads(run(f"{SOURCE_FUNNEL} --per day --period 2026-12 --format json"))
    assert document["periods"] == 23
    assert document["per_period"] == {"deal": 1, "demo": 1, "call": 2}


def test_a_zero_rate_is_a_clear_error_not_a_crash(org_settings):
    with pytest.raises(CommandError, match="demo→deal must be more than 0"):
        run("funnel --revenue 4000 --deal-size 1000 --rate demo:deal=0")


def test_fifty_emails_step_up_by_ten_a_week_to_one_hundred(org_settings):
    document = json.loads(
        run("waterfall --from 50 --to 100 --step 10 --every week --start 2026-12-07 --format json")
    )
    assert document["steps"] == [
        {"start": "2026-12-07", "end": "2026-12-14", "target": "60"},
        {"start": "2026-12-14", "end": "2026-12-21", "target": "70"},
        {"start": "2026-12-21", "end": "2026-12-28", "target": "80"},
        {"start": "2026-12-28", "end": "2027-01-04", "target": "90"},
        {"start": "2027-01-04", "end": "2027-01-11", "target": "100"},
    ]


def test_five_equal_steps_and_percent_steps_end_exactly_at_the_target(org_settings):
    equal = json.loads(
        run("waterfall --from 50 --to 100 --steps 5 --start 2026-12-07 --format json")
    )
    assert [s["target"] for s in equal["steps"]] == ["60", "70", "80", "90", "100"]
    percent = json.loads(
        run("waterfall --from 50 --to 100 --percent 10 --start 2026-12-07 --format json")
    )
    assert percent["steps"][0]["target"] == "55" and percent["steps"][-1]["target"] == "100"


def _history(person, calls: int, demos: int, won: list[str], start: dt.date) -> None:
    moment = dt.datetime.combine(start, dt.time(15), tzinfo=dt.UTC)
    Activity.objects.bulk_create(
        [
            Activity(
                source="t",
                external_id=f"{person.pk}-{kind}-{n}",
                kind=kind,
                person=person,
                occurred_at=moment + dt.timedelta(hours=n),
            )
            for kind, count in (("call", calls), ("demo", demos))
            for n in range(count)
        ]
    )
    Deal.objects.bulk_create(
        [
            Deal(
                source="t",
                external_id=f"{person.pk}-d{n}",
                owner=person,
                amount=Decimal(a),
                stage="Closed Won",
                status="won",
                created_on=start,
                closed_on=start,
            )
            for n, a in enumerate(won)
        ]
    )


def test_a_reps_own_history_is_blended_with_the_team(small_org, monkeypatch):
    # Last six whole months before 26 Nov 2026: May–October.
    monkeypatch.setattr("pacesetter.console.plan.goals.today_in_org", lambda: dt.date(2026, 11, 26))
    may = dt.date(2026, 5, 4)
    # Alice: 100 calls → 40 demos → 15 won deals of $1,000: own rates 40 %, 37.5 %.
    _history(small_org.alice, 100, 40, ["1000"] * 15, may)
    # Bob: 300 calls → 60 demos → 15 won deals of $3,000.
    _history(small_org.bob, 300, 60, ["3000"] * 15, may)
    # Team (Alice + Bob): 400 calls, 100 demos, 30 deals, $60,000: 25 %, 30 %, $2,000 a deal.
    # Alice has 15 of 30 deals for full credibility: 50 % own, 50 % team.
    #   demo→deal = (0.375 + 0.30) / 2 = 0.3375; call→demo = (0.40 + 0.25) / 2 = 0.325;
    #   deal size = (1,000 + 2,000) / 2 = 1,500.
    # $4,500 → 3 deals → ⌈3 / 0.3375⌉ = 9 demos → ⌈9 / 0.325⌉ = 28 calls.
    document = json.loads(run("funnel --revenue 4500 --person alice@example.com --format json"))
    assert document["needed"] == {"deal": 3, "demo": 9, "call": 28}
    assert document["deal_size"] == "1500.00"
    assert document["blend"] == "50 % own history (15 deals), 50 % team"


def test_an_unknown_person_is_named(org_settings):
    with pytest.raises(CommandError, match=r"no person with e-mail or login 'ghost@example\.com'"):
        run("funnel --revenue 4000 --person ghost@example.com")
