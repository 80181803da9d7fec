"""Largest-remainder allocation: cents that always add up, placed deterministically."""

import random
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pacesetter.planning import allocate

from .support import PROPERTY, cents, keys, weights


def test_one_hundred_dollars_in_three_equal_parts_gives_the_spare_cent_to_the_first_key() -> None:
    # 100.00 / 3 = 33.333…: each gets 33.33, and the one cent left over goes to the tie
    # broken by key order, "a".
    result = allocate(Decimal("100.00"), {"c": 1, "a": 1, "b": 1})

    assert result == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}


def test_leftover_cents_go_to_the_shares_that_lost_most_in_rounding_down() -> None:
    # 0.10 split 1:1:6 is exactly 0.0125, 0.0125 and 0.075. Rounded down: 0.01, 0.01, 0.07,
    # one cent short. It goes to "big", which lost 0.005, ahead of the 0.0025 each small
    # share lost.
    result = allocate(Decimal("0.10"), {"small1": 1, "small2": 1, "big": 6})

    assert result == {"big": Decimal("0.08"), "small1": Decimal("0.01"), "small2": Decimal("0.01")}


def test_overrides_are_kept_and_the_rest_is_split_by_weight_among_the_others() -> None:
    result = allocate(Decimal("1000"), {"a": 1, "b": 1, "c": 2}, overrides={"a": Decimal("400")})

    assert result == {"a": Decimal("400.00"), "b": Decimal("200.00"), "c": Decimal("400.00")}


def test_others_with_zero_weight_share_the_rest_equally() -> None:
    result = allocate(Decimal("90"), {"a": 0, "b": 0, "c": 5}, overrides={"c": Decimal("30")})

    assert result == {"a": Decimal("30.00"), "b": Decimal("30.00"), "c": Decimal("30.00")}


def test_a_zero_weight_gets_nothing_while_another_key_has_weight() -> None:
    result = allocate(Decimal("10"), {"a": 0, "b": 3})

    assert result == {"a": Decimal("0.00"), "b": Decimal("10.00")}


def test_overrides_over_the_total_are_refused() -> None:
    with pytest.raises(ValueError, match=r"overrides add up to 150\.00, more than the total 100"):
        allocate(Decimal("100"), {"a": 1, "b": 1}, overrides={"a": 100, "b": 50})


def test_negative_totals_weights_and_overrides_are_refused() -> None:
    with pytest.raises(ValueError, match="total must not be negative"):
        allocate(Decimal("-1"), {"a": 1})
    with pytest.raises(ValueError, match="weight for 'a' must not be negative"):
        allocate(Decimal("1"), {"a": -1, "b": 2})
    with pytest.raises(ValueError, match="override for 'a' must not be negative"):
        allocate(Decimal("1"), {"a": 1}, overrides={"a": Decimal("-0.01")})


def test_a_total_with_fractions_of_a_cent_or_a_float_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not a whole number of 0\.01"):
        allocate(Decimal("100.005"), {"a": 1})
    with pytest.raises(ValueError, match="not float"):
        allocate(100.0, {"a": 1})  # type: ignore[arg-type]


def test_money_left_after_overrides_with_nobody_to_take_it_is_refused() -> None:
    with pytest.raises(ValueError, match="no other key to take it"):
        allocate(Decimal("100"), {"a": 1}, overrides={"a": 60})


@PROPERTY
@given(total=cents, shares=st.dictionaries(keys, weights, min_size=1, max_size=12))
def test_allocation_always_sums_exactly_and_stays_within_a_cent_of_the_exact_share(
    total: Decimal, shares: dict[str, Decimal]
) -> None:
    result = allocate(total, shares)

    assert sum(result.values()) == total
    assert set(result) == set(shares)
    weight_sum = sum(shares.values())
    for key, amount in result.items():
        assert amount >= 0
        assert amount.as_tuple().exponent == -2
        if weight_sum:
            assert abs(amount - total * shares[key] / weight_sum) < Decimal("0.01")


@PROPERTY
@given(
    total=cents,
    shares=st.dictionaries(keys, weights, min_size=2, max_size=8),
    fraction=st.decimals(min_value=0, max_value=1, places=2),
    seed=st.integers(),
)
def test_allocation_with_overrides_sums_exactly_whatever_the_input_order(
    total: Decimal, shares: dict[str, Decimal], fraction: Decimal, seed: int
) -> None:
    first = sorted(shares)[0]
    override = (total * fraction).quantize(Decimal("0.01"))
    assume(override <= total)
    items = list(shares.items())
    random.Random(seed).shuffle(items)

    result = allocate(total, shares, overrides={first: override})
    shuffled = allocate(total, dict(items), overrides={first: override})

    assert sum(result.values()) == total
    assert result[first] == override
    assert result == shuffled
    assert list(result) == list(shuffled)
