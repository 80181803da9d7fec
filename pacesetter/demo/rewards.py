"""The demo's incentives (M5): a program with a monthly budget, one rule of each kind, and
the rewards the demo reps have earned over the past months — so the Rewards page, the payout
report and the budgets have something to show from the first ``make run``.

* $250 cash for a monthly revenue goal met (the plan's goals);
* an extra day off for a stretch tier met (tiers offered last month the usual way, M7);
* recognition at the all-hands for winning a team's meetings-booked competition (G9);
* a team outing for each member when the whole team met their revenue goals (M9).

Last month's competitions and collective goals are set up the way ``demo.collective`` sets up
this month's, so that finished ones can pay. The budget is set for what is likely, not for
every rep meeting every goal, so activation needs the budget override — recorded on the
rule, as it would be for a real sales-ops team. Running it again creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pacesetter import planning
from pacesetter.demo.collective import set_up_collective
from pacesetter.goals.services import stretch_goals_create, stretch_offers
from pacesetter.planning.calendar import add_months
from pacesetter.rewards.models import Award, Program, Reward, Rule
from pacesetter.rewards.services import awards_compute, rule_activate

PROGRAM = "Monthly incentives"
MONTHLY_BUDGET = Decimal(8000)
HISTORY_MONTHS = 6  # the program started this many months before the current one

REWARDS = {
    "cash": ("$250 bonus", Reward.Kind.CASH, Decimal(250)),
    "day_off": ("An extra day off", Reward.Kind.DAY_OFF, Decimal(300)),
    "recognition": ("Shout-out at the all-hands", Reward.Kind.RECOGNITION, Decimal(50)),
    "outing": ("Team happy hour", Reward.Kind.OUTING, Decimal(60)),
}
RULES: list[tuple[str, str, str, dict[str, str | int]]] = [
    # name, trigger, reward, extra fields
    ("Monthly revenue goal met", Rule.Trigger.GOAL_MET, "cash",
     {"metric": "revenue_won", "period_kind": "month"}),
    ("Stretch tier met", Rule.Trigger.STRETCH_MET, "day_off", {"metric": "revenue_won"}),
    ("Most meetings booked in the team", Rule.Trigger.COMPETITION_WON, "recognition",
     {"metric": "meetings_booked", "top_n": 1}),
    ("Everyone made their number", Rule.Trigger.COLLECTIVE_MET, "outing",
     {"metric": "revenue_won"}),
]  # fmt: skip


def set_up_rewards(as_of: dt.date) -> int:
    """Create the demo's program, rewards and rules, last month's team goals and stretch
    tiers, and compute the awards of every month of the program up to ``as_of``; returns
    how many awards are earned."""
    this_month = planning.month_of(as_of)
    start = add_months(this_month.start, -HISTORY_MONTHS)
    program, _ = Program.objects.get_or_create(
        name=PROGRAM,
        defaults={
            "budget": MONTHLY_BUDGET,
            "starts_on": start,
            "description": "Cash and non-cash rewards for the sales team, reviewed monthly.",
        },
    )
    rewards = {
        key: Reward.objects.get_or_create(name=name, defaults={"kind": kind, "value": value})[0]
        for key, (name, kind, value) in REWARDS.items()
    }
    for name, trigger, reward, fields in RULES:
        rule, created = Rule.objects.select_related("program", "reward").get_or_create(
            program=program,
            name=name,
            defaults={"trigger": trigger, "reward": rewards[reward], **fields},
        )
        if created or rule.status != Rule.Status.ACTIVE:
            rule_activate(rule=rule, today=as_of, over_budget=True)

    last_month = planning.month_of(this_month.start - dt.timedelta(days=1))
    set_up_collective(last_month.end - dt.timedelta(days=1))
    stretch_goals_create(offers=stretch_offers(month=last_month.start))

    month = planning.month_of(program.starts_on)
    while month.start <= this_month.start:
        awards_compute(period=month, today=as_of)
        month = planning.month_of(month.end)
    return Award.objects.filter(status=Award.Status.EARNED).count()
