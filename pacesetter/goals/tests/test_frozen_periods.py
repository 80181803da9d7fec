"""Closed periods are frozen: a goal whose period has ended keeps its target whatever is
activated, edited or re-derived, until an admin re-opens the period with a reason.

The suite's today is 18 November 2026 (pacesetter/conftest.py): January to October 2026
have ended, November and December have not. A flat 2026 plan of $1,200,000 gives every
month $100,000; each month has 7 goals (company, region, two teams, three reps).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError
from django.utils import translation

from pacesetter import planning
from pacesetter.conftest import run_command
from pacesetter.goals.activation import PreviewOutdated
from pacesetter.goals.errors import GoalError, PeriodClosed
from pacesetter.goals.models import Goal, GoalChange, PeriodReopening, Plan
from pacesetter.goals.periods import period_close, period_reopen
from pacesetter.goals.services import (
    CascadeOptions,
    plan_activate,
    plan_activation_preview,
    plan_create_cascade,
    waterfall_goals_create,
)
from pacesetter.goals.setting import GoalSpec, goal_create, goal_update

AUGUST = dt.date(2026, 8, 1)
NOVEMBER = dt.date(2026, 11, 1)
MONDAY = dt.date(2026, 8, 3)  # a week of August 2026, long ended
CLOSED_MONTHS, OPEN_MONTHS, PER_MONTH = 10, 2, 7


def plan_2026(annual: str, name: str = "FY26") -> Plan:
    return plan_create_cascade(
        name=name,
        year=2026,
        annual_target=Decimal(annual),
        options=CascadeOptions(seasonality="flat"),
        as_of=dt.date(2025, 12, 1),
    )


def alice_goal(small_org, month: dt.date) -> Goal:
    return Goal.objects.get(person=small_org.alice, period_start=month, metric="revenue_won")


@pytest.fixture
def active_2026(small_org):
    first = plan_2026("1200000")
    plan_activate(plan=first)
    return first


def test_activation_previews_then_keeps_every_goal_of_a_closed_month(small_org, active_2026):
    bigger = plan_2026("1320000")
    august_before = alice_goal(small_org, AUGUST).target

    preview = plan_activation_preview(plan=bigger)

    months = {m.month: m for m in preview.months}
    assert (months[AUGUST].closed, months[AUGUST].reopened) == (True, False)
    assert (months[AUGUST].changed, months[AUGUST].kept_closed) == (0, PER_MONTH)
    assert (months[NOVEMBER].closed, months[NOVEMBER].changed) == (False, PER_MONTH)
    assert preview.totals == {
        "created": 0,
        "changed": OPEN_MONTHS * PER_MONTH,
        "unchanged": 0,
        "kept_closed": CLOSED_MONTHS * PER_MONTH,
    }
    assert Plan.objects.get(pk=bigger.pk).status == Plan.Status.DRAFT  # nothing written

    assert plan_activate(plan=bigger, confirmed=preview.fingerprint) == preview.totals
    august = alice_goal(small_org, AUGUST)
    assert august.target == august_before and august.history.count() == 1
    assert august.plan == active_2026  # not even re-attributed to the new plan
    assert alice_goal(small_org, NOVEMBER).target > august_before

    # Re-activating the old plan does not undo anything either: the closed months stay.
    plan_activate(plan=active_2026)
    assert alice_goal(small_org, AUGUST).history.count() == 1


def test_a_stale_preview_is_refused_and_nothing_is_activated(small_org, active_2026):
    bigger = plan_2026("1320000")
    preview = plan_activation_preview(plan=bigger)
    november = alice_goal(small_org, NOVEMBER)
    goal_update(goal=november, target=Decimal("1"), priority=1, reason="meanwhile", by=None)

    with pytest.raises(PreviewOutdated, match="changed since this preview"):
        plan_activate(plan=bigger, confirmed=preview.fingerprint)

    assert Plan.objects.get(pk=bigger.pk).status == Plan.Status.DRAFT
    assert alice_goal(small_org, NOVEMBER).target == Decimal("1.00")


def test_a_reopened_month_may_change_and_closing_it_freezes_it_again(small_org, active_2026):
    admin = small_org.admin.user
    reopening = period_reopen(
        period=planning.month_period(2026, 8), reason="deals booked in the wrong month", by=admin
    )
    assert (reopening.reopened_by, reopening.closed_at) == (admin, None)
    bigger = plan_2026("1320000")

    preview = plan_activation_preview(plan=bigger)

    august = next(m for m in preview.months if m.month == AUGUST)
    assert (august.closed, august.reopened, august.changed) == (True, True, PER_MONTH)
    assert preview.totals["kept_closed"] == (CLOSED_MONTHS - 1) * PER_MONTH
    plan_activate(plan=bigger, by=admin)
    goal = alice_goal(small_org, AUGUST)
    assert goal.history.order_by("-id").first().reason == "plan FY26@2 activated"

    period_close(reopening=reopening, by=admin)
    with pytest.raises(PeriodClosed, match="2026-08 has ended"):
        goal_update(goal=goal, target=Decimal("5"), priority=1, reason="late", by=admin)
    with pytest.raises(GoalError, match="closed already"):
        period_close(reopening=reopening, by=admin)


def test_only_an_admin_reopens_an_ended_period_and_says_why(small_org):
    august = planning.month_period(2026, 8)
    with pytest.raises(GoalError, match="Only an admin"):
        period_reopen(period=august, reason="why not", by=small_org.manager.user)
    with pytest.raises(GoalError, match="Say why"):
        period_reopen(period=august, reason="  ", by=small_org.admin.user)
    with pytest.raises(GoalError, match="2026-11 has not ended"):
        period_reopen(
            period=planning.month_period(2026, 11), reason="early", by=small_org.admin.user
        )
    reopening = period_reopen(period=august, reason="audit", by=small_org.admin.user)
    with pytest.raises(GoalError, match="Only an admin"):
        period_close(reopening=reopening, by=small_org.regional_manager.user)
    assert PeriodReopening.objects.get().closed_at is None


def test_an_edit_of_an_ended_goal_is_refused_in_the_readers_language(small_org):
    spec = GoalSpec("calls_made", "standard", planning.month_period(2026, 8), Decimal(40), 3)
    goal, _new = goal_create(spec=spec, person=small_org.alice)  # a missing goal may be set

    with pytest.raises(PeriodClosed) as english:
        goal_update(goal=goal, target=Decimal(50), priority=3, reason="more", by=None)
    with translation.override("zh-hans"), pytest.raises(PeriodClosed) as chinese:
        goal_update(goal=goal, target=Decimal(50), priority=3, reason="more", by=None)

    assert "re-open the period" in str(english.value)
    assert "2026-08" in str(chinese.value) and "period" not in str(chinese.value)
    goal.refresh_from_db()
    assert (goal.target, goal.version) == (Decimal("40.00"), 1)


def test_a_waterfall_is_not_re_derived_over_ended_weeks(small_org):
    cal = planning.WorkCalendar()
    steps = planning.waterfall(
        Decimal(50), Decimal(100), step=Decimal(10), every="week", start=MONDAY, cal=cal
    )
    waterfall_goals_create(metric="emails_sent", steps=steps, every="week", person=small_org.alice)
    again = planning.waterfall(
        Decimal(50), Decimal(80), steps=5, every="week", start=MONDAY, cal=cal
    )

    with pytest.raises(PeriodClosed, match="has ended"):
        waterfall_goals_create(
            metric="emails_sent", steps=again, every="week", person=small_org.alice
        )

    targets = Goal.objects.filter(kind="waterfall").order_by("period_start")
    assert [g.target for g in targets][:2] == [Decimal("60.00"), Decimal("70.00")]
    assert GoalChange.objects.filter(goal__kind="waterfall").count() == len(steps)


def run(command: str) -> str:
    return run_command(command)


def test_the_cli_previews_an_activation_and_needs_yes(small_org, active_2026):
    plan_2026("1320000")

    preview = run("plan activate FY26@2")
    assert "Nothing activated yet: run again with --yes" in preview
    assert "0 created, 14 changed, 0 unchanged, 70 kept closed" in preview
    assert Plan.objects.get(version=2).status == Plan.Status.DRAFT
    document = json.loads(run("plan activate FY26@2 --yes --by olga --format json"))
    assert document["activated"] is True
    assert document["totals"]["kept_closed"] == CLOSED_MONTHS * PER_MONTH
    august = next(m for m in document["months"] if m["month"] == "2026-08")
    assert (august["month_is"], august["kept_closed"], august["changed"]) == ("closed", 7, 0)
    assert Plan.objects.get(version=2).status == Plan.Status.ACTIVE
    with pytest.raises(CommandError, match="mia is not an admin"):
        run("plan activate FY26@1 --yes --by mia")
    assert Plan.objects.get(version=1).status == Plan.Status.ARCHIVED


def test_the_cli_reopens_and_closes_a_period_as_an_admin_only(small_org):
    with pytest.raises(CommandError, match="mia is not an admin"):
        run("period reopen 2026-08 --reason 'late deal' --by mia")
    assert not PeriodReopening.objects.exists()
    assert "2026-08 is re-opened" in run("period reopen 2026-08 --reason 'late deal' --by olga")
    (listed,) = json.loads(run("period list --format json"))["reopenings"]
    assert (listed["from"], listed["reason"], listed["by"]) == ("2026-08-01", "late deal", "olga")
    with pytest.raises(CommandError, match="not an admin"):
        run(f"period close {listed['id']} --by rhea")
    assert "closed again" in run(f"period close {listed['id']} --by olga")
    with pytest.raises(CommandError, match="has not ended"):
        run("period reopen 2026-12 --reason early --by olga")


def test_the_admin_only_reads_reopened_periods(admin_client):
    """A period is re-opened through ``goals.periods`` (the page or the command), which
    checks that it has ended and who asks; the Django admin cannot add one around that."""
    assert admin_client.get("/admin/goals/periodreopening/").status_code == 200
    assert admin_client.get("/admin/goals/periodreopening/add/").status_code == 403
