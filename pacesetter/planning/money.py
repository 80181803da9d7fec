"""Decimal amounts: parsing, cent rounding and the few formats explanations need.

Money never goes through float: a float has already lost the cents before we see it,
so floats are refused at the boundary instead of being converted.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
# Explanations use the typographic signs; escaped so linters do not mistake them for x and -.
TIMES = "\u00d7"
MINUS = "\u2212"

Number = Decimal | int | str


def as_decimal(value: Number, what: str) -> Decimal:
    """Return ``value`` as a finite Decimal; ``what`` names it in the ValueError otherwise."""
    if isinstance(value, bool | float):
        raise ValueError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    try:
        result = value if isinstance(value, Decimal) else Decimal(value)
    except ArithmeticError:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return result


def to_cents(amount: Decimal | Fraction | int) -> Decimal:
    """Round half up to whole cents (the rounding a customer would do by hand)."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, symbol: str = "$") -> str:
    """Format as ``$1,234.50``; negatives with a leading typographic minus (U+2212)."""
    cents = to_cents(amount)
    sign = MINUS if cents < 0 else ""
    return f"{sign}{symbol}{abs(cents):,.2f}"


def format_percent(fraction: Decimal | Fraction, places: int | None = 2) -> str:
    """Format a fraction as a percent: ``0.125`` → ``12.50 %``; ``places=None`` trims zeros."""
    value = Fraction(fraction) * 100
    decimal_value = Decimal(value.numerator) / Decimal(value.denominator)
    if places is None:
        return f"{format_plain(decimal_value)} %"
    return f"{decimal_value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)} %"


def format_plain(value: Decimal) -> str:
    """Shortest plain-notation form: ``10`` not ``1E+1``, ``0.5`` not ``0.500``."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")
