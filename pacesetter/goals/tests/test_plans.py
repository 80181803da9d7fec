"""Plans: a cascade on the org in the database, stored with explanations, compared, activated.

The small org (see pacesetter/conftest.py): Team Alpha has reps Alice and Bob, Team Beta has
Charlie; all hired long before 2027. With a flat year of $1,200,000 each month is $100,000:
Alpha carries 2 of the 3 reps' capacity, Beta 1.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError

from pacesetter.conftest import run_command
from pacesetter.goals.models import Goal, GoalChange, Plan, PlanLine, PlannedHire
from pacesetter.goals.plan_inputs import learned_seasonality
from pacesetter.goals.selectors import plan_by_label, plan_compare
from pacesetter.goals.services import (
    CascadeOptions,
    goal_set_target,
    plan_activate,
    plan_create_cascade,
)
from pacesetter.ledger.models import Deal
from pacesetter.planning.calendar import add_months

FLAT = "flat"
AS_OF = dt.date(2026, 11, 26)


def cascade(seasonality: str = FLAT, over_assign: Decimal = Decimal("1"), **kwargs) -> Plan:
    options = {
        "name": "FY27",
        "year": 2027,
        "annual_target": Decimal("1200000"),
        "as_of": AS_OF,
    }
    options.update(kwargs)
    shape = CascadeOptions(seasonality=seasonality, over_assign=over_assign)
    return plan_create_cascade(**options, options=shape)


def target(plan: Plan, month: str, **who) -> Decimal:
    return plan.lines.get(month=dt.date.fromisoformat(month + "-01"), **who).target


def test_a_flat_year_splits_by_capacity_down_to_each_rep(small_org):
    plan = cascade()
    assert target(plan, "2027-03", level="company") == Decimal("100000.00")
    assert target(plan, "2027-03", level="team", unit=small_org.alpha) == Decimal("66666.67")
    assert target(plan, "2027-03", level="team", unit=small_org.beta) == Decimal("33333.33")
    assert target(plan, "2027-03", person=small_org.charlie) == Decimal("33333.33")
    alice = plan.lines.get(month=dt.date(2027, 3, 1), person=small_org.alice)
    bob = plan.lines.get(month=dt.date(2027, 3, 1), person=small_org.bob)
    assert alice.target + bob.target == Decimal("66666.67")
    assert "66,666.67" in alice.explanation and "50.00 %" in alice.explanation


@pytest.mark.parametrize("annual", ["1200000", "1200003"])  # the second rounds awkwardly
def test_every_month_adds_up_exactly_at_every_level(small_org, annual):
    plan = cascade(annual_target=Decimal(annual), over_assign=Decimal("1.1"))
    for month in {line.month for line in plan.lines.all()}:
        lines = list(plan.lines.filter(month=month))
        company = sum(ln.target for ln in lines if ln.level == "company")
        teams = sum(ln.target for ln in lines if ln.level == "team")
        people = sum(ln.target for ln in lines if ln.level in ("person", "seat"))
        assert teams == company
        assert people == (company * Decimal("1.1")).quantize(Decimal("0.01"))
    assert sum(ln.target for ln in plan.lines.filter(level="company")) == Decimal(annual)


def test_a_planned_hire_gets_a_ramped_quota(small_org):
    PlannedHire.objects.create(team=small_org.beta, start_month=dt.date(2027, 9, 1))
    plan = cascade()
    seat_lines = {ln.month.month: ln for ln in plan.lines.filter(level="seat")}
    assert seat_lines[8].target == 0  # not started
    assert seat_lines[9].target == 0  # ramp month 1: 0 %
    # October: ramp 25 %; Beta's capacity is Charlie 1 + seat 0.25 of the region's 3.25.
    assert "ramp month 2" in seat_lines[10].explanation
    assert seat_lines[10].target > 0


def test_each_cascade_is_a_new_version_and_two_versions_compare(small_org):
    first = cascade()
    second = cascade(annual_target=Decimal("1320000"))
    assert (first.version, second.version) == (1, 2)
    assert plan_by_label("FY27") == second
    assert plan_by_label("FY27@1") == first

    diffs = plan_compare(first, second)
    march_company = next(d for d in diffs if d.level == "company" and d.month == "2027-03")
    assert (march_company.a, march_company.b, march_company.change) == (
        Decimal("100000.00"),
        Decimal("110000.00"),
        Decimal("10000.00"),
    )


def test_activation_writes_monthly_goals_for_people_and_units(small_org):
    plan = cascade()
    counts = plan_activate(plan=plan)
    # 12 months × (company + region + 2 teams + 3 reps)
    assert counts == {"created": 12 * 7, "changed": 0, "unchanged": 0, "kept_closed": 0}
    goal = Goal.objects.get(person=small_org.alice, period_start=dt.date(2027, 3, 1))
    assert (goal.metric, goal.period_kind, goal.period_end, goal.plan) == (
        "revenue_won",
        "month",
        dt.date(2027, 4, 1),
        plan,
    )
    assert Goal.objects.filter(unit=small_org.alpha).count() == 12
    assert goal.history.get().old_target is None


def test_activating_a_new_version_archives_the_old_and_audits_changed_targets(small_org):
    plan_activate(plan=cascade())
    bigger = cascade(annual_target=Decimal("1320000"))
    counts = plan_activate(plan=bigger)

    assert counts["created"] == 0 and counts["changed"] == 12 * 7
    assert Plan.objects.get(version=1).status == Plan.Status.ARCHIVED
    assert Plan.objects.get(version=2).status == Plan.Status.ACTIVE
    goal = Goal.objects.get(unit=small_org.company, period_start=dt.date(2027, 1, 1))
    change = goal.history.order_by("-id").first()
    assert (change.old_target, change.new_target) == (Decimal("100000.00"), Decimal("110000.00"))
    assert change.reason == "plan FY27@2 activated"


def test_reactivating_the_same_plan_changes_nothing(small_org):
    plan = cascade()
    plan_activate(plan=plan)
    before = GoalChange.objects.count()
    assert plan_activate(plan=plan) == {
        "created": 0,
        "changed": 0,
        "unchanged": 12 * 7,
        "kept_closed": 0,
    }
    assert GoalChange.objects.count() == before


def test_a_target_change_keeps_who_when_old_and_new(small_org, django_user_model):
    plan_activate(plan=cascade())
    goal = Goal.objects.get(person=small_org.bob, period_start=dt.date(2027, 5, 1))
    old = goal.target
    goal_set_target(
        goal=goal, target=Decimal("40000"), by=small_org.manager.user, reason="bigger territory"
    )
    change = goal.history.order_by("-id").first()
    assert (change.old_target, change.new_target, change.changed_by, change.reason) == (
        old,
        Decimal("40000.00"),
        small_org.manager.user,
        "bigger territory",
    )
    with pytest.raises(ValueError, match="negative"):
        goal_set_target(goal=goal, target=Decimal("-1"), by=None)


def test_learned_seasonality_needs_history(small_org):
    with pytest.raises(ValueError, match="no revenue won"):
        cascade(seasonality="learned")
    assert not PlanLine.objects.exists()


def run(command: str) -> str:
    return run_command("plan " + command)


def test_cascade_cli_json_has_lines_that_add_up(small_org):
    command = "cascade --annual 1200000 --year 2027 --seasonality flat --over-assign 1.1"
    document = json.loads(run(command + " --format json"))
    lines = document["lines"]
    assert {ln["level"] for ln in lines} == {"company", "unit", "team", "person"}
    march = [ln for ln in lines if ln["month"] == "2027-03"]
    company = next(Decimal(ln["target"]) for ln in march if ln["level"] == "company")
    people = sum(Decimal(ln["target"]) for ln in march if ln["level"] in ("person", "seat"))
    assert people == company * Decimal("1.1")
    alice = next(ln for ln in march if ln["person"] == "Alice Adams")
    assert alice["unit"] == "Team Alpha" and alice["explanation"]
    assert all(ln["person"] is None for ln in march if ln["level"] != "person")


def test_cascade_cli_can_activate_and_list(small_org):
    run("cascade --annual 600000 --year 2027 --seasonality flat --name Lean --activate")
    listing = json.loads(run("list --format json"))["plans"]
    assert [(p["name"], p["version"], p["status"]) for p in listing] == [("Lean", 1, "active")]
    assert Goal.objects.filter(plan__name="Lean").count() == 12 * 7


def test_compare_cli_shows_only_changes_when_asked(small_org):
    cascade(name="A")
    cascade(name="B", annual_target=Decimal("1200000"))
    assert json.loads(run("compare A B --changed --format json"))["lines"] == []


def test_cli_errors_are_clear(small_org):
    with pytest.raises(CommandError, match="no plan 'Nope'"):
        run("show Nope")
    with pytest.raises(CommandError, match="no revenue won"):
        run("cascade --annual 1000 --year 2027")


def test_seasonality_is_learned_from_the_last_whole_year_of_revenue(small_org):
    def won(n: int, closed: dt.date, amount: str) -> Deal:
        return Deal(source="t", external_id=f"d{n}", owner=small_org.alice, amount=Decimal(amount),
                    stage="Won", status="won", created_on=closed, closed_on=closed)  # fmt: skip

    months = [add_months(dt.date(2025, 11, 1), i) for i in range(12)]  # Nov 2025 – Oct 2026
    deals = [won(n, day, "2000" if day.month == 12 else "1000") for n, day in enumerate(months)]
    # A lone October deal: history starts then, so the window before it is not used.
    deals.append(won(99, dt.date(2025, 10, 15), "50000"))
    Deal.objects.bulk_create(deals)

    weights = learned_seasonality(before=dt.date(2026, 11, 15), years=3)

    assert sum(weights.values()) == 1
    assert abs(weights[12] - Decimal(2) / 13) < Decimal("1e-12")  # December: $2,000 of $13,000
    assert abs(weights[10] - Decimal(1) / 13) < Decimal("1e-12")  # the October deal is ignored
