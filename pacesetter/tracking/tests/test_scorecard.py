"""Scorecards from the ledger: a rep's goals of November 2026 in priority order, the weighted
score, the top priority met or missed, the weeks inside the month, and stretch offers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacesetter import planning
from pacesetter.conftest import run_command
from pacesetter.goals.models import Goal
from pacesetter.metrics.tests.conftest import TODAY
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.scorecard import scorecards

NOV = planning.month_period(2026, 11)
AFTER = dt.date(2026, 12, 2)  # November is over


def goal(person, metric, target, priority, *, start=NOV.start, end=NOV.end, kind="standard",
         period_kind="month", tier_of=None):  # fmt: skip
    return Goal.objects.create(
        metric=metric,
        person=person,
        period_kind=period_kind,
        period_start=start,
        period_end=end,
        target=Decimal(target),
        priority=priority,
        kind=kind,
        tier_of=tier_of,
    )


def alice_november(ledger, alice):
    """Revenue 8,000 of 10,000 (80 %), calls 150 of 100 (150 %), e-mails 20 of 40 (50 %)."""
    ledger.deal(alice, "8000", "won", dt.date(2026, 10, 1), dt.date(2026, 11, 20))
    ledger.activities(alice, "call", dt.date(2026, 11, 3), 150)
    ledger.activities(alice, "email", dt.date(2026, 11, 4), 20)
    ledger.done()
    return (
        goal(alice, "emails_sent", 40, 3),
        goal(alice, "revenue_won", 10000, 1),
        goal(alice, "calls_made", 100, 2),
    )


def test_goals_are_scored_in_priority_order_with_weights_from_priorities(ledger, new_york):
    emails, revenue, calls = alice_november(ledger, new_york.alice)

    card = scorecards([new_york.alice.pk], NOV, AFTER)[new_york.alice.pk]

    assert [row.goal for row in card.main.rows] == [revenue, calls, emails]
    assert [row.mark for row in card.main.rows] == ["✗", "✓", "✗"]
    # Weights 6/11, 3/11, 2/11; credit 0.8, 1 (150 % capped), 0.5: (4.8 + 3 + 1) / 11 = 80 %.
    assert card.score == Decimal("80.0")
    assert [row.scored.credit_percent for row in card.main.rows] == [
        Decimal("80.0"),
        Decimal("100.0"),
        Decimal("50.0"),
    ]


def test_a_missed_top_priority_is_flagged(ledger, new_york):
    _emails, revenue, _calls = alice_november(ledger, new_york.alice)

    card = scorecards([new_york.alice.pk], NOV, AFTER)[new_york.alice.pk]

    assert card.main.score.top_met is False
    assert [line.key for _section, line in card.top_missed] == [revenue.pk]
    assert card.main.score.reached == 0


def test_while_the_month_runs_unfinished_goals_are_open_not_missed(ledger, new_york):
    alice_november(ledger, new_york.alice)

    card = scorecards([new_york.alice.pk], NOV, TODAY)[new_york.alice.pk]

    # Revenue is not in yet (the deal closes on the 20th); calls are already achieved.
    assert [row.mark for row in card.main.rows] == ["…", "✓", "…"]
    assert card.main.score.top_met is None
    assert card.top_missed == []


def test_sequenced_scoring_counts_lower_goals_only_after_the_higher_ones(ledger, new_york):
    alice_november(ledger, new_york.alice)

    card = scorecards([new_york.alice.pk], NOV, AFTER, sequenced=True)[new_york.alice.pk]

    # Revenue (the top priority) was missed: only its own 80 % credit counts. 4.8 / 11.
    assert card.score == Decimal("43.6")


def test_the_weeks_of_the_month_get_their_own_sections(ledger, new_york):
    cal = work_calendar()
    w45, w46 = (
        planning.week_of(dt.date(2026, 11, 2), cal),
        planning.week_of(dt.date(2026, 11, 9), cal),
    )
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 3), 5)
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 10), 2)
    ledger.done()
    for week in (w45, w46):
        goal(new_york.bob, "demos_held", 4, 1, start=week.start, end=week.end, period_kind="week")
    goal(new_york.bob, "articles_shared", 1, 2, start=w46.start, end=w46.end, period_kind="week")

    card = scorecards([new_york.bob.pk], NOV, AFTER)[new_york.bob.pk]

    assert [w.label for w in card.weeks] == ["2026-W45", "2026-W46"]
    assert [w.score.score for w in card.weeks] == [Decimal("100.0"), Decimal("33.3")]
    assert card.weeks[1].score.top_met is False
    # No monthly goal: the month's score is the average of its weeks.
    assert card.main.rows == []
    assert card.score == Decimal("66.7")
    assert len(card.top_missed) == 1


def test_a_week_across_two_months_is_on_both_cards_with_each_months_part(ledger, new_york):
    """Week 49 of 2026 runs from Monday 30 November to Sunday 6 December: one working day
    in November, four in December. It is on both months' cards, with the days each holds,
    and weighs by that share when a month averages its weeks."""
    cal = work_calendar()
    w48, w49 = (
        planning.week_of(day, cal) for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    )
    ledger.activities(new_york.bob, "demo", dt.date(2026, 11, 24), 4)  # W48 met
    ledger.done()  # W49: no demos at all, missed
    for week in (w48, w49):
        goal(new_york.bob, "demos_held", 4, 1, start=week.start, end=week.end, period_kind="week")
    december = planning.month_period(2026, 12)

    cards = {
        month.label: scorecards([new_york.bob.pk], month, dt.date(2027, 1, 4))[new_york.bob.pk]
        for month in (NOV, december)
    }

    assert [w.label for w in cards["2026-11"].weeks] == ["2026-W48", "2026-W49"]
    assert [w.label for w in cards["2026-12"].weeks] == ["2026-W49"]
    nov_part, dec_part = cards["2026-11"].weeks[1], cards["2026-12"].weeks[0]
    assert (nov_part.days, nov_part.share) == ((w49.start, dt.date(2026, 12, 1)), Fraction(1, 5))
    assert (dec_part.days, dec_part.share) == ((dt.date(2026, 12, 1), w49.end), Fraction(4, 5))
    assert nov_part.straddles and not cards["2026-11"].weeks[0].straddles
    # November: W48 at 100 % weighs 1, W49 at 0 % weighs 1/5: 100 / 1.2 = 83.3 %.
    assert cards["2026-11"].score == Decimal("83.3")
    assert cards["2026-12"].score == Decimal("0.0")


def test_a_stretch_tier_rides_on_its_goal_and_is_not_scored(ledger, new_york):
    _emails, revenue, _calls = alice_november(ledger, new_york.alice)
    goal(new_york.alice, "revenue_won", 12500, 2, kind="stretch", tier_of=revenue)

    card = scorecards([new_york.alice.pk], NOV, AFTER)[new_york.alice.pk]

    assert len(card.main.rows) == 3
    assert card.main.rows[0].stretch.target == Decimal("12500")
    assert card.score == Decimal("80.0")


def test_stretch_eligibility_is_re_evaluated_each_month_with_its_reason(ledger, new_york):
    # Alice met revenue in Aug, Sep and Oct; Bob fell to 82 % in September.
    for month, alice_won, bob_won in [(8, "10400", "10000"), (9, "11200", "8200"),
                                      (10, "10000", "12000")]:  # fmt: skip
        start = dt.date(2026, month, 1)
        end = planning.calendar.add_months(start, 1)
        for person, won in ((new_york.alice, alice_won), (new_york.bob, bob_won)):
            goal(person, "revenue_won", 10000, 1, start=start, end=end)
            ledger.deal(person, won, "won", start, start + dt.timedelta(days=14))
    ledger.done()
    goal(new_york.alice, "revenue_won", 10000, 1)
    goal(new_york.bob, "revenue_won", 10000, 1)
    goal(new_york.charlie, "revenue_won", 10000, 1)

    people = (new_york.alice, new_york.bob, new_york.charlie)
    cards = scorecards([p.pk for p in people], NOV, TODAY)

    alice, bob, charlie = (cards[p.pk].offers[0] for p in people)
    assert str(alice.text) == (
        "stretch tier offered: met 100 % in each of the last 3 months "
        "(Aug 104 %, Sep 112 %, Oct 100 %)"
    )
    assert str(bob.text) == "stretch tier not offered: Sep at 82 %"
    assert str(charlie.text) == "stretch tier not offered: no goal in Aug, Sep, Oct"


def test_extra_lines_join_the_month_and_are_weighed_with_the_goals(ledger, new_york):
    _emails, revenue, _calls = alice_november(ledger, new_york.alice)
    mentoring = planning.ScoreLine("mentees", "Mentees' development goals", 1, Decimal(100), True)

    card = scorecards(
        [new_york.alice.pk], NOV, AFTER, extra_lines={new_york.alice.pk: [mentoring]}
    )[new_york.alice.pk]

    assert [row.line.key for row in card.main.rows][:2] == [revenue.pk, "mentees"]
    assert card.main.rows[1].goal is None
    # Weights 1, 1, 1/2, 1/3 of 17/6: (6·0.8 + 6·1 + 3·1 + 2·0.5) / 17 = 14.8 / 17 = 87.1 %.
    assert card.score == Decimal("87.1")


def test_more_people_cost_no_more_queries(ledger, new_york, django_assert_num_queries):
    people = (new_york.alice, new_york.bob, new_york.charlie)
    for person in people:
        goal(person, "revenue_won", 10000, 1)
        goal(person, "calls_made", 100, 2)
    ledger.activities(new_york.alice, "call", dt.date(2026, 11, 3), 5)
    ledger.done()

    with CaptureQueriesContext(connection) as one:
        scorecards([new_york.alice.pk], NOV, TODAY)
    with django_assert_num_queries(len(one.captured_queries)):
        cards = scorecards([p.pk for p in people], NOV, TODAY)
    assert len(cards) == 3


def test_the_command_prints_the_card_and_flags_the_missed_top_priority(ledger, new_york):
    alice_november(ledger, new_york.alice)

    table = run_command("scorecard --person alice --period 2026-11 --today 2026-12-02")

    assert table.splitlines()[0] == (
        "Alice Adams 2026-11: score 80.0 % · TOP PRIORITY MISSED: Revenue won (2026-11) · "
        "priority levels met in order: 0 of 3"
    )
    assert "calls_made" in table and "missed" in table

    out = json.loads(
        run_command(
            "scorecard --unit 'Team Alpha' --period 2026-11 --today 2026-12-02 --format json"
        )
    )
    alice = out["scorecards"][0]
    assert (alice["person"], alice["score"], alice["top_met"]) == ("Alice Adams", "80.0", False)
    assert [line["metric"] for line in alice["sections"][0]["lines"]] == [
        "revenue_won",
        "calls_made",
        "emails_sent",
    ]
    assert [c["person"] for c in out["scorecards"]] == ["Alice Adams", "Bob Brown", "Mia Manager"]
    assert out["scorecards"][1]["score"] is None

    gated = json.loads(
        run_command(
            "scorecard --person alice --period 2026-11 --today 2026-12-02 --sequenced --format json"
        )
    )
    assert gated["scorecards"][0]["score"] == "43.6"


def test_the_command_refuses_a_quarter_and_unknown_people(new_york):
    with pytest.raises(CommandError, match="a month or a week"):
        run_command("scorecard --period 2026-Q4")
    with pytest.raises(CommandError, match="no person"):
        run_command("scorecard --person nobody")
