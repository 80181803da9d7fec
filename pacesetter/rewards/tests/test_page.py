"""The Rewards page: a rep sees their own rewards and what they can still earn; a manager
their subtree's payout and the budgets they may see, as bars; an admin everything. The page
only reads: awards are computed by ``pacesetter rewards``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import PASSWORD
from pacesetter.goals.models import Goal
from pacesetter.org.selectors import today_in_org
from pacesetter.rewards.models import Award, AwardEntry, Program, Reward, Rule
from pacesetter.rewards.selectors import earnable
from pacesetter.rewards.services import awards_compute
from pacesetter.web.views.rewards import _with_label

from .conftest import active_rule, make_goal


@pytest.fixture
def this_month(small_org, books, program, bonus):
    """This month: Alice and Charlie met their revenue goals, Bob did not; the budget had
    room for one bonus, so Charlie's is recorded unfunded. A Team Beta program exists too."""
    o = small_org
    today = today_in_org()
    month = planning.month_of(today)
    for rep in (o.alice, o.bob, o.charlie):
        make_goal("revenue_won", 10000, person=rep, start=month.start, end=month.end)
    make_goal("demos_held", 20, person=o.alice, priority=2, start=month.start, end=month.end)
    program.budget = Decimal(300)
    program.save()
    active_rule(program, bonus, metric="revenue_won")
    active_rule(program, Reward.objects.create(name="Demo day off", kind="day_off", value=100),
                "Demos met", metric="demos_held")  # fmt: skip
    beta = Program.objects.create(name="Beta booster", unit=o.beta, budget=Decimal(5000),
                                  starts_on=dt.date(2026, 1, 1))  # fmt: skip
    active_rule(beta, bonus, "Beta revenue", metric="revenue_won")
    books.won(o.alice, "12000", closed=month.start)
    books.won(o.bob, "3000", closed=month.start)
    books.won(o.charlie, "11000", closed=month.start)
    awards_compute(period=month, today=today)
    return o


def page_for(client, who: str, **params: str) -> str:
    assert client.login(username=who, password=PASSWORD)
    response = client.get(reverse("rewards"), params)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    return page[start : page.index("</section>", start)]


def test_a_rep_sees_their_own_rewards_and_what_they_can_still_earn(client, this_month):
    page = page_for(client, "alice")

    mine = section(page, "my-rewards")
    assert "$250.00" in mine and "Monthly revenue met" in mine
    assert "$12,000.00 of $10,000.00" in mine
    # The line names the goal by its metric's label, as the goal cards do, not by its code.
    assert "Revenue won" in mine and "revenue_won" not in mine
    to_earn = section(page, "to-earn")
    assert "Demo day off" in to_earn and "monthly" not in to_earn  # any period kind
    assert "Demos held goal met" in to_earn
    assert "Monthly revenue met" not in to_earn  # earned already
    for hidden in ('id="payout"', 'id="budgets"', "Bob Brown", "Charlie Chen"):
        assert hidden not in page


def test_a_rep_sees_an_award_over_the_budget_as_recorded_not_paid(client, this_month):
    mine = section(page_for(client, "charlie"), "my-rewards")

    assert "over the budget: recorded, not paid yet" in mine
    assert "earned, over budget" in mine


def test_a_manager_sees_the_payout_of_their_team_and_the_budgets_they_may_see(client, this_month):
    page = page_for(client, "mia")

    payout = section(page, "payout")
    assert "Alice Adams" in payout and "Bob Brown" not in payout  # Bob earned nothing
    assert "Charlie Chen" not in payout  # another team
    budgets = section(page, "budgets")
    assert "FY26 incentives" in budgets
    assert "Beta booster" not in budgets  # a program of a team Mia does not manage
    # $250 committed and Charlie's $250 unfunded on a bar of $500; the budget's mark at $300.
    assert 'class="committed" x="0" y="1" width="50.0"' in budgets
    assert 'class="unfunded" x="50.0" y="1" width="50.0"' in budgets
    assert 'x1="60.0" x2="60.0"' in budgets
    assert 'id="my-rewards"' not in page  # Mia earns nothing herself


def test_a_regional_manager_and_the_admin_see_both_teams(client, this_month):
    for who in ("rhea", "olga"):
        client.logout()
        page = page_for(client, who)
        payout = section(page, "payout")
        assert "Alice Adams" in payout and "Charlie Chen" in payout
        assert "earned, over budget" in payout
    budgets = section(page, "budgets")
    assert "Beta booster" in budgets  # the admin sees every program
    # Each bar says whose budget it is: the company's (the root unit) or a team's.
    assert 'FY26 incentives</b> <small class="muted">Northwind ·' in budgets
    assert 'Beta booster</b> <small class="muted">Team Beta ·' in budgets


def test_the_page_shows_a_quarter_or_a_year(client, this_month):
    cal_label = planning.month_of(today_in_org()).label
    assert cal_label in page_for(client, "olga")
    page = page_for(client, "olga", span="year")
    assert 'aria-current="page">' + str(today_in_org().year) in page
    assert "Alice Adams" in section(page, "payout")


def test_reading_the_page_writes_nothing(client, this_month):
    before = (Award.objects.count(), AwardEntry.objects.count())
    assert client.login(username="olga", password=PASSWORD)

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("rewards")).status_code == 200

    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "rewards_" in q["sql"]
    ]
    assert writes == []
    assert (Award.objects.count(), AwardEntry.objects.count()) == before


def test_team_rewards_are_offered_to_the_teams_reps_not_to_its_manager(this_month):
    o = this_month
    month = planning.month_of(today_in_org())
    make_goal("revenue_won", 20000, unit=o.alpha, kind=Goal.Kind.COLLECTIVE,
              start=month.start, end=month.end)  # fmt: skip
    outing = Reward.objects.create(name="Team happy hour", kind="outing", value=60)
    active_rule(Program.objects.get(name="FY26 incentives"), outing, "Everyone made it",
                trigger=Rule.Trigger.COLLECTIVE_MET)  # fmt: skip

    def offered(person) -> list[str]:
        return [o.rule.name for o in earnable(person, today_in_org())]

    assert "Everyone made it" in offered(o.alice)
    assert "Everyone made it" not in offered(o.manager)  # Mia is in Team Alpha, as its manager
    assert "Everyone made it" not in offered(o.charlie)  # Team Beta


def test_still_to_earn_names_metrics_and_periods_as_the_goal_cards_do(client, this_month):
    """A team's collective goal is offered as "Team Alpha: Revenue won · 2026-11" (its
    period as the goal cards say it), and the rule in words, not in metric codes."""
    o = this_month
    month = planning.month_of(today_in_org())
    make_goal("revenue_won", 20000, unit=o.alpha, kind=Goal.Kind.COLLECTIVE,
              start=month.start, end=month.end)  # fmt: skip
    outing = Reward.objects.create(name="Team happy hour", kind="outing", value=60)
    active_rule(Program.objects.get(name="FY26 incentives"), outing, "Everyone made it",
                trigger=Rule.Trigger.COLLECTIVE_MET, metric="revenue_won")  # fmt: skip

    to_earn = section(page_for(client, "alice"), "to-earn")

    assert f"Team Alpha: Revenue won · {month.start:%Y-%m}" in to_earn
    assert "Revenue won collective goal met by every member" in to_earn
    assert "revenue_won" not in to_earn


def test_metric_codes_in_the_rewards_texts_read_as_labels():
    """The rewards app's notes and triggers carry metric codes; the page shows labels, with
    a capital only at the start of the text."""
    assert _with_label(
        "1st of 10 in meetings_booked 2026-10 (Team Alpha): 9", "meetings_booked"
    ) == ("1st of 10 in meetings booked 2026-10 (Team Alpha): 9")
    assert _with_label("revenue_won 2026-11: $1.00", "revenue_won") == "Revenue won 2026-11: $1.00"
    assert _with_label("any goal met", None) == "any goal met"
