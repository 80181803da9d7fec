"""Decimal amounts: parsing and cent rounding; and how a number is written for people.

Money never goes through float: a float has already lost the cents before we see it,
so floats are refused at the boundary instead of being converted.

``format_number`` is the one implementation of thousands grouping and the minus sign:
``pacesetter.presentation`` calls it with the reader's separators for everything people
read, and the planning maths (which may not import Django) uses it with English ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .errors import PlanningError

CENT = Decimal("0.01")
# Explanations use the typographic signs; escaped so linters do not mistake them for x and -.
TIMES = "\u00d7"
MINUS = "\u2212"

Number = Decimal | int | str


def as_decimal(value: Number, what: str) -> Decimal:
    """Return ``value`` as a finite Decimal; ``what`` names it in the ValueError otherwise."""
    if isinstance(value, bool | float):
        raise PlanningError("money.type", what=what, type=type(value).__name__)
    try:
        result = value if isinstance(value, Decimal) else Decimal(value)
    except ArithmeticError:
        raise PlanningError("money.not_a_number", what=what, value=repr(value)) from None
    if not result.is_finite():
        raise PlanningError("money.not_finite", what=what, value=repr(value))
    return result


def to_cents(amount: Decimal | Fraction | int) -> Decimal:
    """Round half up to whole cents (the rounding a customer would do by hand)."""
    if isinstance(amount, Fraction):
        amount = Decimal(amount.numerator) / Decimal(amount.denominator)
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Separators:
    """How a language writes a number: thousands separator, decimal point, digits per group.

    ``pacesetter.presentation`` reads them from the reader's language; the planning maths
    uses the default, English ones.
    """

    thousands: str = ","
    decimal: str = "."
    grouping: int = 3


ENGLISH = Separators()


def format_number(
    value: Decimal | Fraction | int,
    places: int | None = None,
    *,
    trim: bool = False,
    separators: Separators = ENGLISH,
) -> str:
    """The one way a number is written for people: ``13,150,000.00``, ``−5``, ``0.5``.

    Thousands grouped, negatives with the typographic minus (U+2212), ``places`` decimals
    rounded half up; ``places=None`` writes as many as the value needs (``10``, not ``1E+1``
    nor ``10.00``) and ``trim`` drops the trailing zeros left after rounding (``12.5``).
    Machine formats (CSV, JSON) do not use this: they write ``str(value)``.
    """
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    amount = Decimal(value)
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if places is None or trim:
        amount = _shortest(amount)
    sign = MINUS if amount < 0 else ""  # after rounding: −0.004 to the cent is 0.00
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    size = separators.grouping
    if size > 0 and len(whole) > size:
        head = len(whole) % size or size
        groups = [whole[:head], *(whole[i : i + size] for i in range(head, len(whole), size))]
        whole = separators.thousands.join(groups)
    return sign + whole + (separators.decimal + fraction if fraction else "")


def _shortest(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def format_money(
    amount: Decimal | Fraction | int, symbol: str = "$", *, separators: Separators = ENGLISH
) -> str:
    """Rounded to the cent: ``$1,234.50``; negatives with a leading minus: ``−$80.00``."""
    cents = to_cents(amount)
    sign = MINUS if cents < 0 else ""
    return f"{sign}{symbol}{format_number(abs(cents), 2, separators=separators)}"


def format_percent(
    fraction: Decimal | Fraction | int,
    places: int | None = 2,
    *,
    separators: Separators = ENGLISH,
) -> str:
    """A fraction as a percent: ``0.125`` → ``12.50 %``; ``places=None`` → ``12.5 %``."""
    return f"{format_number(Fraction(fraction) * 100, places, separators=separators)} %"
