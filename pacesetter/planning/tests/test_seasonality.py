"""Seasonality: twelve calendar-month weights that always sum exactly to 1."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import explicit, flat, learned

from .support import PROPERTY, mixed_weights


def test_a_flat_year_weighs_every_month_one_twelfth_and_sums_to_exactly_one() -> None:
    weights = flat()

    assert list(weights) == list(range(1, 13))
    assert sum(weights.values()) == 1
    assert all(abs(w - Decimal(1) / 12) < Decimal("1e-14") for w in weights.values())


def test_explicit_weights_are_normalised_by_their_total() -> None:
    # December counts double: 13 parts in all, so ordinary months are 1/13 and December 2/13.
    # At 15 places 1/13 = 0.076923076923076|92… and 2/13 = 0.153846153846153|84…: the last
    # digits lost by rounding down go to the months that lost most, the eleven 1/13 months.
    weights = explicit([1] * 11 + [2])

    assert sum(weights.values()) == 1
    assert weights[12] == Decimal("0.153846153846153")
    assert weights[1] == Decimal("0.076923076923077")


def test_explicit_weights_may_be_keyed_by_month_number() -> None:
    by_month = {month: Decimal(month) for month in range(1, 13)}

    assert explicit(by_month) == explicit(list(range(1, 13)))


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1] * 11, "needs 12 monthly weights, got 11"),
        ([1] * 11 + [-1], "weight for month 12 must not be negative"),
        ([0] * 12, "all zero"),
        ({1: 1}, "needs months 1..12"),
    ],
)
def test_unusable_explicit_weights_are_refused(weights: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        explicit(weights)  # type: ignore[arg-type]


def test_learned_weights_average_each_months_share_of_its_year() -> None:
    # 2025: January was 30 % of the year; 2026: 10 %. Averaged: 20 % for January, and the
    # other eleven months split the rest as they did on average.
    actuals = {(2025, 1): Decimal(300), (2026, 1): Decimal(100)}
    actuals |= {(2025, m): Decimal(700) / 11 for m in range(2, 13)}
    actuals |= {(2026, m): Decimal(900) / 11 for m in range(2, 13)}

    weights = learned(actuals)

    assert weights[1] == Decimal("0.2")
    assert sum(weights.values()) == 1


def test_a_month_without_history_is_treated_as_an_ordinary_month() -> None:
    # Only January to November were ever recorded, each the same: December gets their mean,
    # so the year ends up flat rather than with an empty December.
    actuals = {(2026, m): Decimal(100) for m in range(1, 12)}

    assert learned(actuals) == flat()


def test_a_year_with_zero_total_is_ignored() -> None:
    actuals = {(2025, m): Decimal(0) for m in range(1, 13)}
    actuals |= {(2026, m): Decimal(10 * m) for m in range(1, 13)}

    assert learned(actuals) == explicit([10 * m for m in range(1, 13)])


def test_learning_from_nothing_usable_is_refused() -> None:
    with pytest.raises(ValueError, match="no year of actuals has a positive total"):
        learned({(2026, 1): Decimal(0)})
    with pytest.raises(ValueError, match="must not be negative"):
        learned({(2026, 1): Decimal(-5)})


@PROPERTY
@given(weights=mixed_weights())
def test_explicit_weights_always_sum_to_exactly_one(weights: list[Decimal]) -> None:
    result = explicit(weights)

    assert sum(result.values()) == 1
    assert all(w >= 0 for w in result.values())


@PROPERTY
@given(
    actuals=st.dictionaries(
        st.tuples(st.integers(2020, 2026), st.integers(1, 12)),
        st.decimals(min_value=0, max_value=10**7, places=2),
        min_size=1,
    ).filter(lambda a: any(a.values()))
)
def test_learned_weights_always_sum_to_exactly_one(actuals: dict) -> None:
    assert sum(learned(actuals).values()) == 1
