"""Template filters that write numbers as ``pacesetter.presentation`` does: grouped by
thousands in the reader's language, negatives with the typographic minus, "—" for none.

``{{ plan.annual_target|number:2 }}`` → 13,150,000.00; ``{{ gauge.percent|percent:0 }}`` →
82 %. Use them rather than ``floatformat``, whose minus is a hyphen.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from pacesetter import presentation

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def number(value: object, places: int | None = None) -> str:
    """``value`` with ``places`` decimals (none given: as many as it needs)."""
    return presentation.number(_decimal(value), places)


@register.filter
def percent(value: object, places: int | None = 1) -> str:
    """A value already in percent: ``82.4`` → "82.4 %" (``percent:0`` → "82 %")."""
    return presentation.percent(_decimal(value), places)
