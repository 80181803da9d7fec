"""Budgets: what is committed and what remains; an award over the budget is recorded
unfunded (never dropped) and funded when budget frees up; a rule whose maximum exposure
does not fit is refused at activation unless the override is given — and recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.ledger.rollups import rebuild
from pacesetter.rewards.models import Award, Program, Reward, Rule
from pacesetter.rewards.selectors import payout_report, rule_exposure
from pacesetter.rewards.services import OverBudgetError, rule_activate

from .conftest import DEC, NOV, active_rule, compute, make_goal

MID_NOVEMBER = dt.date(2026, 11, 10)


def kinds(award: Award) -> list[tuple[str, Decimal, bool]]:
    return [(e.kind, e.amount, e.funded) for e in award.entries.order_by("seq")]


@pytest.fixture
def tight(program) -> Program:
    """$400 a month: room for one $250 bonus."""
    program.budget = Decimal(400)
    program.save()
    return program


def test_an_award_over_the_budget_is_recorded_unfunded_and_reported(
    small_org, books, revenue_goals, tight, revenue_rule
):
    books.won(small_org.alice, "12000")
    books.won(small_org.charlie, "12000")

    result = compute()

    assert (result.earned, result.unfunded) == (2, 1)
    alice, charlie = Award.objects.order_by("person__full_name")  # funded in name order
    assert (alice.funded, charlie.funded) == (True, False)
    assert charlie.status == Award.Status.EARNED  # recorded, not dropped
    report = payout_report(NOV, DEC)
    budget = report.budgets[0]
    assert (budget.period.label, budget.budget, budget.committed, budget.remaining) == (
        "2026-11",
        Decimal("400.00"),
        Decimal("250.00"),
        Decimal("150.00"),
    )
    assert (budget.unfunded_count, budget.unfunded_value) == (1, Decimal("250.00"))
    by_name = {p.person.full_name: p for p in report.people}
    assert (by_name["Charlie Chen"].cash, by_name["Charlie Chen"].unfunded) == (0, 250)
    assert by_name["Alice Adams"].cash == 250


def test_budget_freed_by_a_reversal_funds_the_waiting_award(
    small_org, books, revenue_goals, tight, revenue_rule
):
    deal = books.won(small_org.alice, "12000")
    books.won(small_org.charlie, "12000")
    compute()

    deal.amount = Decimal("5000")  # corrected: Alice's award goes, and frees its $250
    deal.save()
    rebuild()
    result = compute()

    assert (result.reversed, result.funded_later) == (1, 1)
    charlie = Award.objects.get(person=small_org.charlie)
    assert charlie.funded
    assert kinds(charlie) == [
        ("earned", Decimal("250.00"), False),
        ("funded", Decimal("250.00"), True),
    ]
    assert payout_report(NOV, DEC).budgets[0].committed == Decimal("250.00")


def test_raising_the_budget_funds_the_waiting_awards(
    small_org, books, revenue_goals, tight, revenue_rule
):
    for rep in (small_org.alice, small_org.bob, small_org.charlie):
        books.won(rep, "12000")
    assert compute().unfunded == 2

    tight.budget = Decimal(600)  # room for one more, not two
    tight.save()
    assert compute().funded_later == 1

    funded = dict(Award.objects.values_list("person__full_name", "funded"))
    assert funded == {"Alice Adams": True, "Bob Brown": True, "Charlie Chen": False}


def test_a_quarterly_budget_counts_every_month_of_the_quarter(
    small_org, books, revenue_goals, program, revenue_rule
):
    program.budget_period = Program.BudgetPeriod.QUARTER
    program.budget = Decimal(500)
    program.save()
    october = make_goal("revenue_won", 1000, person=small_org.bob,
                        start=dt.date(2026, 10, 1), end=NOV)  # fmt: skip
    books.won(small_org.bob, "1000", closed=dt.date(2026, 10, 5))
    compute(period=planning.month_period(2026, 10))
    assert Award.objects.get().goal == october
    books.won(small_org.alice, "12000")
    books.won(small_org.charlie, "12000")

    compute()

    # October's $250 and one of November's fill the $500 of Q4.
    assert Award.objects.filter(funded=False).count() == 1
    (q4,) = payout_report(NOV, DEC).budgets
    assert (q4.period.label, q4.committed, q4.remaining) == ("2026-Q4", 500, 0)


def test_activating_a_rule_over_its_budget_is_refused_unless_overridden(
    small_org, books, revenue_goals, program, bonus
):
    program.budget = Decimal(600)
    program.save()
    rule = Rule.objects.create(program=program, reward=bonus, name="Revenue met",
                               trigger=Rule.Trigger.GOAL_MET, metric="revenue_won")  # fmt: skip

    with pytest.raises(OverBudgetError) as refused:
        rule_activate(rule=rule, today=MID_NOVEMBER)

    message = str(refused.value)
    assert "2026-11: budget $600.00, committed $0.00" in message
    assert "exposure 3 × $250.00 = $750.00 → OVER BUDGET by $150.00" in message
    rule.refresh_from_db()
    assert rule.status == Rule.Status.DRAFT

    check = rule_activate(rule=rule, today=MID_NOVEMBER, over_budget=True)

    rule.refresh_from_db()
    assert check.over
    assert (rule.status, rule.over_budget_override) == (Rule.Status.ACTIVE, True)
    assert "OVER BUDGET by $150.00" in rule.activation_note
    assert rule.activated_at is not None


def test_a_rule_that_fits_is_activated_without_an_override(
    small_org, books, revenue_goals, program, bonus
):
    rule = Rule.objects.create(program=program, reward=bonus, name="Revenue met",
                               trigger=Rule.Trigger.GOAL_MET, metric="revenue_won")  # fmt: skip

    check = rule_activate(rule=rule, today=MID_NOVEMBER)

    assert not check.over
    assert "fits, $250.00 to spare" in check.summary()
    rule.refresh_from_db()
    assert (rule.status, rule.over_budget_override) == (Rule.Status.ACTIVE, False)


def test_exposure_adds_to_what_is_committed_already(
    small_org, books, revenue_goals, program, revenue_rule
):
    books.won(small_org.alice, "12000")
    books.won(small_org.charlie, "12000")
    compute(today=MID_NOVEMBER)  # $500 committed in November
    extra = Reward.objects.create(name="$100 kicker", kind="cash", value=100)
    rule = Rule.objects.create(program=program, reward=extra, name="Kicker",
                               trigger=Rule.Trigger.GOAL_MET, metric="revenue_won")  # fmt: skip

    (november,) = rule_exposure(rule, MID_NOVEMBER).periods

    assert (november.committed, november.could_earn, november.exposure) == (500, 3, 300)
    assert not november.over  # 500 + 300 ≤ 1000
    rule.reward.value = Decimal(200)
    assert rule_exposure(rule, MID_NOVEMBER).over  # 500 + 600 > 1000


def test_the_exposure_of_the_months_ahead_is_checked_too(
    small_org, books, revenue_goals, program, bonus
):
    """Plans write a whole year of monthly goals: December must fit as well."""
    for rep in (small_org.alice, small_org.bob, small_org.charlie):
        make_goal("revenue_won", 10000, person=rep, start=DEC, end=dt.date(2027, 1, 1))
    make_goal("revenue_won", 10000, person=small_org.manager, start=DEC,
              end=dt.date(2027, 1, 1))  # fmt: skip
    program.budget = Decimal(900)
    program.save()
    rule = Rule.objects.create(program=program, reward=bonus, name="Revenue met",
                               trigger=Rule.Trigger.GOAL_MET, metric="revenue_won")  # fmt: skip

    check = rule_exposure(rule, MID_NOVEMBER)

    assert [(p.period.label, p.could_earn, p.over) for p in check.periods] == [
        ("2026-11", 3, False),
        ("2026-12", 4, True),
    ]


def test_the_exposure_of_a_competition_is_its_top_n_and_of_a_collective_its_reps(
    small_org, books, program, bonus
):
    o = small_org
    make_goal("meetings_booked", 10, unit=o.alpha, kind=Goal.Kind.COMPETITION)
    make_goal("revenue_won", 20000, unit=o.alpha, kind=Goal.Kind.COLLECTIVE)
    contest = Rule.objects.create(program=program, reward=bonus, name="Contest", top_n=2,
                                  trigger=Rule.Trigger.COMPETITION_WON)  # fmt: skip
    together = Rule.objects.create(program=program, reward=bonus, name="Together",
                                   trigger=Rule.Trigger.COLLECTIVE_MET)  # fmt: skip

    assert rule_exposure(contest, MID_NOVEMBER).periods[0].could_earn == 2
    # Alice and Bob: Mia manages the team, she is not measured by it.
    assert rule_exposure(together, MID_NOVEMBER).periods[0].could_earn == 2


def test_a_rule_of_a_program_that_ended_earns_nothing(
    small_org, books, revenue_goals, program, bonus
):
    program.ends_on = NOV
    program.save()
    active_rule(program, bonus, metric="revenue_won")
    books.won(small_org.alice, "12000")

    assert compute().earned == 0


def test_a_yearly_budget_is_one_pot_for_the_fiscal_year(
    small_org, books, revenue_goals, program, revenue_rule
):
    program.budget_period = Program.BudgetPeriod.YEAR
    program.save()
    books.won(small_org.alice, "12000")
    compute()

    (year,) = payout_report(NOV, DEC).budgets

    assert (year.period.label, year.budget, year.committed) == ("2026", 1000, 250)
