"""Showing metric values the way people read them: $12,340.00, 21, 75.0 %, 18 days."""

from __future__ import annotations

from decimal import Decimal

from pacesetter.metrics.models import Metric

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "INR": "₹"}


def currency_symbol(code: str) -> str:
    return CURRENCY_SYMBOLS.get(code, code + " ")


def format_value(value: Decimal | int | None, unit: str, symbol: str = "$") -> str:
    """``value`` in its metric unit; "—" when there is none."""
    if value is None:
        return "—"
    value = Decimal(value)
    if unit == Metric.Unit.MONEY:
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{abs(value):,.2f}"
    if unit == Metric.Unit.PERCENT:
        return f"{value:.1f} %"
    whole = value == value.to_integral_value()
    number = f"{value:,.0f}" if whole else f"{value:,.2f}"
    if unit == Metric.Unit.DAYS:
        return f"{number} day" + ("" if value == 1 else "s")
    return number
