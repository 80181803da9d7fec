"""The demo's incentives on the small org: a program, one rule of each kind, last month's
team goals, and the rewards earned in it — set up once however often it runs."""

from __future__ import annotations

import datetime as dt

from pacesetter.demo.rewards import set_up_rewards
from pacesetter.rewards.models import Award, Program, Rule

from .conftest import NOV, make_goal

OCT = dt.date(2026, 10, 1)
AS_OF = dt.date(2026, 11, 16)


def test_the_demo_pays_last_months_winners_once(small_org, books):
    o = small_org
    for rep in (o.alice, o.bob, o.charlie):
        make_goal("revenue_won", 10000, person=rep, start=OCT, end=NOV)  # as the plan writes
    books.won(o.alice, "12000", closed=dt.date(2026, 10, 14))
    books.won(o.bob, "5000", closed=dt.date(2026, 10, 14))
    books.won(o.charlie, "11000", closed=dt.date(2026, 10, 20))
    books.activities(o.alice, "meeting_booked", 4, dt.date(2026, 10, 6))
    books.activities(o.bob, "meeting_booked", 2, dt.date(2026, 10, 6))
    books.activities(o.charlie, "meeting_booked", 3, dt.date(2026, 10, 7))

    earned = set_up_rewards(AS_OF)

    program = Program.objects.get()
    assert program.budget == 8000 and program.starts_on == dt.date(2026, 5, 1)
    assert set(Rule.objects.values_list("trigger", "status")) == {
        (trigger, Rule.Status.ACTIVE) for trigger in Rule.Trigger.values
    }
    awards = sorted(Award.objects.values_list("person__full_name", "rule__reward__name"))
    assert awards == [
        ("Alice Adams", "$250 bonus"),  # her October revenue goal
        ("Alice Adams", "Shout-out at the all-hands"),  # most meetings in Team Alpha
        ("Charlie Chen", "$250 bonus"),
        ("Charlie Chen", "Shout-out at the all-hands"),  # alone in Team Beta
        ("Charlie Chen", "Team happy hour"),  # everyone in Team Beta made their number
    ]
    assert earned == 5

    assert set_up_rewards(AS_OF) == 5
    assert (Program.objects.count(), Rule.objects.count(), Award.objects.count()) == (1, 4, 5)
