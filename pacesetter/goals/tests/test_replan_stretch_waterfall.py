"""Re-planning mid-year, stretch tiers for reps who earned them, and waterfall goals."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError

from pacesetter.conftest import run_command
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.services import (
    CascadeOptions,
    plan_activate,
    plan_create_cascade,
    plan_replan,
)
from pacesetter.ledger.models import Deal


def run(command: str) -> str:
    return run_command("plan " + command)


def won(person, closed: dt.date, amount: str, n: int) -> Deal:
    return Deal.objects.create(
        source="t",
        external_id=f"{person.pk}-{n}",
        owner=person,
        amount=Decimal(amount),
        stage="Closed Won",
        status="won",
        created_on=closed,
        closed_on=closed,
    )


def flat_plan(year: int, annual: str = "1200000"):
    return plan_create_cascade(
        name=f"FY{year % 100}",
        year=year,
        annual_target=Decimal(annual),
        options=CascadeOptions(seasonality="flat"),
        as_of=dt.date(year - 1, 12, 1),
    )


def test_a_replan_keeps_closed_months_at_actuals_and_spreads_the_rest(small_org):
    source = flat_plan(2027)  # $100,000 a month
    won(small_org.alice, dt.date(2027, 1, 20), "80000", 1)  # January: $80,000; February: nothing

    plan = plan_replan(source=source, as_of=dt.date(2027, 3, 10))

    company = {ln.month.month: ln for ln in plan.lines.filter(level="company").order_by("month")}
    assert company[1].target == Decimal("80000.00")
    assert company[2].target == Decimal("0.00")
    # $1,200,000 − $80,000 = $1,120,000 left, over ten equal months.
    assert {company[m].target for m in range(3, 13)} == {Decimal("112000.00")}
    assert sum(ln.target for ln in company.values()) == Decimal("1200000.00")
    assert "revenue won in Jan 2027" in company[1].explanation
    assert "$1,120,000.00 still to win" in company[3].explanation
    assert (plan.version, plan.inputs["replanned_from"]) == (2, "FY27@1")
    # And it cascades: March's people add up to March's company target.
    march = plan.lines.filter(month=dt.date(2027, 3, 1), level="person")
    assert sum(ln.target for ln in march) == Decimal("112000.00")


def test_a_year_already_beaten_replans_the_rest_at_zero(small_org):
    source = flat_plan(2027)
    won(small_org.alice, dt.date(2027, 1, 20), "1500000", 1)
    plan = plan_replan(source=source, as_of=dt.date(2027, 2, 1))
    targets = [ln.target for ln in plan.lines.filter(level="company").order_by("month")]
    assert targets[0] == Decimal("1500000.00") and set(targets[1:]) == {Decimal("0.00")}


@pytest.fixture
def goals_2026(small_org):
    plan_activate(plan=flat_plan(2026))  # Alice's month: $33,333.34; Bob, Charlie: $33,333.33
    for n, month in enumerate((8, 9, 10)):
        won(small_org.alice, dt.date(2026, month, 15), "40000", n)  # 120 % three times
    won(small_org.bob, dt.date(2026, 8, 15), "40000", 10)
    won(small_org.bob, dt.date(2026, 9, 15), "40000", 11)
    won(small_org.bob, dt.date(2026, 10, 15), "10000", 12)  # missed October
    return small_org


def test_only_reps_who_met_every_recent_month_are_offered_a_stretch_tier(goals_2026):
    offers = json.loads(run("stretch --month 2026-11 --format json"))["offers"]
    by_person = {o["person"]: o for o in offers}
    assert by_person["Alice Adams"]["eligible"] == "yes"
    assert by_person["Alice Adams"]["stretch"] == "41666.68"  # 125 % of $33,333.34
    assert by_person["Alice Adams"]["history"] == "120.0% 120.0% 120.0%"
    assert by_person["Bob Brown"]["eligible"] == "no"
    assert "missed 100 % in 1 of the last 3" in by_person["Bob Brown"]["reason"]
    assert by_person["Charlie Chen"]["eligible"] == "no"


def test_saving_stretch_tiers_creates_them_once(goals_2026):
    run("stretch --month 2026-11 --save")
    run("stretch --month 2026-11 --save")
    tiers = Goal.objects.filter(kind=Goal.Kind.STRETCH)
    assert [(t.person.full_name, t.target) for t in tiers] == [("Alice Adams", Decimal("41666.68"))]
    assert tiers.get().tier_of.target == Decimal("33333.34")


def test_stretch_of_a_target_and_only_within_a_unit(goals_2026):
    assert json.loads(run("stretch --target 1000 --format json"))["stretch"] == "1250.00"
    offers = json.loads(run("stretch --month 2026-11 --unit 'Team Beta' --format json"))
    assert [o["person"] for o in offers["offers"]] == ["Charlie Chen"]
    with pytest.raises(CommandError, match="a stretch tier must be above 100 %"):
        run("stretch --target 1000 --percent 90")


def test_waterfall_steps_saved_as_goals_update_with_an_audit_trail(small_org):
    run("waterfall --from 50 --to 100 --step 10 --start 2026-12-07 --person alice "
        "--metric emails_sent")  # fmt: skip
    goals = Goal.objects.filter(person=small_org.alice, kind=Goal.Kind.WATERFALL)
    assert [(g.period_start, g.target) for g in goals.order_by("period_start")] == [
        (dt.date(2026, 12, 7), Decimal("60.00")),
        (dt.date(2026, 12, 14), Decimal("70.00")),
        (dt.date(2026, 12, 21), Decimal("80.00")),
        (dt.date(2026, 12, 28), Decimal("90.00")),
        (dt.date(2027, 1, 4), Decimal("100.00")),
    ]
    assert {g.period_kind for g in goals} == {"week"}

    run("waterfall --from 50 --to 75 --steps 5 --start 2026-12-07 --person alice "
        "--metric emails_sent")  # fmt: skip
    first = goals.get(period_start=dt.date(2026, 12, 7))
    assert first.target == Decimal("55.00")
    assert list(first.history.values_list("old_target", "new_target")) == [
        (None, Decimal("60.00")),
        (Decimal("60.00"), Decimal("55.00")),
    ]
    assert GoalChange.objects.filter(goal__kind="waterfall").count() == 10


def test_saving_a_waterfall_needs_a_metric(small_org):
    with pytest.raises(CommandError, match="--metric is needed"):
        run("waterfall --from 50 --to 100 --step 10 --person alice")
