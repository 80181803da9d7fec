"""M3 scorecards: goals in priority order, a weighted score, the top priority met or missed;
and stretch eligibility told by month."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import (
    ScoreLine,
    combine_scores,
    credit,
    priority_weights,
    score_period,
    stretch_eligibility,
)

from .support import PROPERTY, said


def line(key, priority, attainment, met=None, **kwargs):
    value = None if attainment is None else Decimal(str(attainment))
    return ScoreLine(key, key, priority, value, met, **kwargs)


def test_priority_one_weighs_twice_priority_two_and_three_times_priority_three() -> None:
    # 1/1 : 1/2 : 1/3 = 6 : 3 : 2 of 11.
    assert priority_weights([1, 2, 3]) == [Fraction(6, 11), Fraction(3, 11), Fraction(2, 11)]
    assert priority_weights([2, 2]) == [Fraction(1, 2), Fraction(1, 2)]
    assert priority_weights([]) == []


def test_lines_come_out_in_priority_order_and_ties_keep_their_order() -> None:
    card = score_period(
        [
            line("emails", 3, 100),
            line("revenue", 1, 100),
            line("calls", 2, 50),
            line("demos", 2, 80),
        ]
    )
    assert [s.line.key for s in card.lines] == ["revenue", "calls", "demos", "emails"]


def test_the_score_weighs_each_goals_capped_credit_by_its_priority() -> None:
    # Revenue (p1) at 80 %, calls (p2) at 150 % → capped at 100 %, e-mails (p3) at 50 %.
    # Weights 6/11, 3/11, 2/11: 6/11·0.8 + 3/11·1 + 2/11·0.5 = (4.8 + 3 + 1) / 11 = 80.0 %.
    card = score_period(
        [
            line("revenue", 1, 80, met=False),
            line("calls", 2, 150, met=True),
            line("emails", 3, 50, met=False),
        ]
    )
    assert card.score == Decimal("80.0")
    assert [s.points_percent for s in card.lines] == [
        Decimal("43.6"),  # 4.8 / 11
        Decimal("27.3"),  # 3 / 11
        Decimal("9.1"),  # 1 / 11
    ]
    assert [s.weight_percent for s in card.lines] == [
        Decimal("54.5"),
        Decimal("27.3"),
        Decimal("18.2"),
    ]


def test_a_missed_top_priority_is_flagged_even_when_every_other_goal_is_met() -> None:
    card = score_period(
        [
            line("revenue", 1, 90, met=False),
            line("calls", 2, 120, met=True),
            line("emails", 3, 100, met=True),
        ]
    )
    assert card.top_priority == 1
    assert card.top_met is False
    assert [m.key for m in card.top_missed] == ["revenue"]
    assert card.reached == 0
    assert not card.all_met


def test_reached_counts_the_priority_levels_met_in_order_before_the_first_miss() -> None:
    card = score_period(
        [
            line("revenue", 1, 100, met=True),
            line("demos", 2, 100, met=True),
            line("calls", 2, 70, met=False),  # one miss at level 2 breaks the level
            line("emails", 3, 100, met=True),
        ]
    )
    assert card.top_met is True
    assert card.reached == 1
    assert card.levels == 3
    assert [s.unlocked for s in card.lines] == [True, True, True, False]


def test_all_priority_levels_met_in_order() -> None:
    card = score_period([line("revenue", 1, 104, met=True), line("calls", 4, 100, met=True)])
    assert card.all_met and card.reached == 2 and card.score == Decimal("100.0")


def test_an_open_top_priority_is_neither_met_nor_missed() -> None:
    card = score_period([line("revenue", 1, 40, met=None), line("calls", 2, 100, met=True)])
    assert card.top_met is None
    assert card.top_missed == ()
    assert card.reached == 0


def test_sequenced_scoring_gives_nothing_below_the_first_level_not_met() -> None:
    lines = [
        line("revenue", 1, 100, met=True),
        line("calls", 2, 50, met=False),
        line("emails", 3, 100, met=True),
    ]
    # Not gated: (6·1 + 3·0.5 + 2·1) / 11 = 9.5 / 11 = 86.4 %.
    assert score_period(lines).score == Decimal("86.4")
    # Gated: the e-mails (below the missed calls) earn nothing: (6 + 1.5) / 11 = 68.2 %.
    gated = score_period(lines, sequenced=True)
    assert gated.score == Decimal("68.2")
    assert gated.lines[2].credit == 0 and not gated.lines[2].unlocked
    # The missed level itself still earns its partial credit.
    assert gated.lines[1].credit == Fraction(1, 2)


def test_a_goal_without_data_earns_nothing_and_lines_that_do_not_count_weigh_nothing() -> None:
    card = score_period(
        [
            line("revenue", 1, None, met=False),
            line("calls", 1, 100, met=True),
            line("revenue stretch", 2, 60, counts=False),
        ]
    )
    assert card.score == Decimal("50.0")
    assert card.lines[2].weight == 0
    assert card.levels == 1


def test_explicit_weights_replace_the_priority_weights() -> None:
    lines = [line("revenue", 1, 50, met=False), line("calls", 2, 100, met=True)]
    card = score_period(lines, weights={"revenue": 1, "calls": 3})
    # 1/4 · 0.5 + 3/4 · 1 = 87.5 %.
    assert card.score == Decimal("87.5")
    with pytest.raises(ValueError, match="no weight given for calls"):
        score_period(lines, weights={"revenue": 1})
    with pytest.raises(ValueError, match="at least one weight"):
        score_period(lines, weights={"revenue": 0, "calls": 0})


def test_an_empty_card_has_no_score() -> None:
    card = score_period([])
    assert card.score is None and card.top_met is None and card.top_priority is None


def test_credit_is_capped_at_one_and_floored_at_zero() -> None:
    assert credit(Decimal("250")) == 1
    assert credit(Decimal("-5")) == 0
    assert credit(Decimal("37.5")) == Fraction(3, 8)
    assert credit(None) == 0


def test_weeks_without_a_monthly_goal_average_equally() -> None:
    assert combine_scores([Decimal("100"), None, Decimal("50")]) == Decimal("75.0")
    assert combine_scores([None]) is None


def test_a_week_shared_with_another_month_weighs_by_its_share_of_working_days() -> None:
    # December 2026's weeks: 30 Nov-6 Dec and 28 Dec-3 Jan each have four of their five
    # working days in December. A missed first week costs less than a missed whole week.
    scores = [Decimal("0"), Decimal("100"), Decimal("100"), Decimal("100"), Decimal("100")]
    weights = [Fraction(4, 5), 1, 1, 1, Fraction(4, 5)]
    assert combine_scores(scores, weights) == Decimal("82.6")  # 380 / 4.6
    assert combine_scores([Decimal("50"), Decimal("80")], [0, 0]) is None
    with pytest.raises(ValueError, match="2 scores but 1 weights"):
        combine_scores([Decimal("50"), Decimal("80")], [1])


def test_a_stretch_tier_is_offered_after_three_months_at_quota() -> None:
    offer = stretch_eligibility(
        [
            ("Jul", Decimal("70")),
            ("Aug", Decimal("104.2")),
            ("Sep", Decimal("112")),
            ("Oct", Decimal("100")),
        ]
    )
    assert said(offer) == (
        True,
        "met 100 % in each of the last 3 months (Aug 104 %, Sep 112 %, Oct 100 %)",
    )


def test_a_stretch_tier_is_not_offered_and_the_reason_names_the_month() -> None:
    assert said(
        stretch_eligibility(
            [("Mar", Decimal("120")), ("Apr", Decimal("101")), ("May", Decimal("82.9"))]
        )
    ) == (False, "May at 82 %")
    assert said(
        stretch_eligibility(
            [("Mar", Decimal("99.9")), ("Apr", Decimal("101")), ("May", Decimal("82"))]
        )
    ) == (False, "Mar at 99 %, May at 82 %")
    assert said(
        stretch_eligibility([("Mar", None), ("Apr", Decimal("101")), ("May", Decimal("120"))])
    ) == (False, "no goal in Mar")
    assert said(stretch_eligibility([("May", Decimal("150"))])) == (
        False,
        "only 1 months of history; 3 needed",
    )


# --- properties --------------------------------------------------------------------------------

attainments = st.none() | st.decimals(min_value=-50, max_value=400, places=1)
score_lines = st.lists(
    st.builds(
        ScoreLine,
        key=st.integers(),
        label=st.just("goal"),
        priority=st.integers(min_value=1, max_value=12),
        attainment=attainments,
        met=st.none() | st.booleans(),
        counts=st.booleans(),
    ),
    max_size=12,
)


@PROPERTY
@given(score_lines, st.booleans())
def test_the_score_is_a_percentage_and_the_weights_add_up_to_one(lines, sequenced) -> None:
    card = score_period(lines, sequenced=sequenced)
    counted = [s for s in card.lines if s.line.counts]
    if not counted:
        assert card.score is None
        return
    assert sum(s.weight for s in counted) == 1
    assert Decimal(0) <= card.score <= Decimal(100)
    assert [s.line.priority for s in card.lines] == sorted(s.line.priority for s in card.lines)
    assert 0 <= card.reached <= card.levels


@PROPERTY
@given(score_lines)
def test_gating_never_raises_the_score(lines) -> None:
    free, gated = score_period(lines), score_period(lines, sequenced=True)
    if free.score is not None:
        assert gated.score <= free.score


@PROPERTY
@given(
    score_lines,
    st.integers(min_value=0, max_value=20),
    st.decimals(min_value=0, max_value=50, places=1),
)
def test_more_attainment_on_one_goal_never_lowers_the_score(lines, index, more) -> None:
    if not lines:
        return
    i = index % len(lines)
    better = list(lines)
    old = better[i]
    better[i] = ScoreLine(
        old.key,
        old.label,
        old.priority,
        (old.attainment or Decimal(0)) + more,
        old.met,
        old.counts,
    )
    before, after = score_period(lines).score, score_period(better).score
    if before is not None:
        assert after >= before
