"""Argument types of ``pacesetter plan`` (and ``pacesetter export``): numbers, ramps, drags and
seasonality files, each raising ``ValueError`` so that argparse names the bad value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path


def decimal_arg(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


decimal_arg.__name__ = "number"  # argparse says "invalid number value: 'x'"


def ramp_arg(text: str) -> tuple[Decimal, ...]:
    parts = [decimal_arg(p) for p in text.split(",") if p.strip()]
    if not parts:
        raise ValueError("empty ramp")
    return tuple(p / 100 for p in parts)


ramp_arg.__name__ = "ramp (percents like 0,25,50,75,100)"


def drag_arg(text: str) -> tuple[Decimal, int]:
    percent, _, months = text.partition(":")
    if not months.isdigit():
        raise ValueError("use PERCENT:MONTHS, e.g. 10:2")
    return decimal_arg(percent) / 100, int(months)


drag_arg.__name__ = "drag (PERCENT:MONTHS)"


def seasonality_arg(text: str) -> str | dict[int, Decimal]:
    if text in ("learned", "flat"):
        return text
    path = Path(text)
    if not path.is_file():
        raise ValueError(f"{text!r}: use learned, flat, or a file of 12 monthly weights")
    raw = path.read_text().replace(",", " ").split()
    numbers = [decimal_arg(v) for v in raw]
    if len(numbers) != 12:
        raise ValueError(f"{text}: expected 12 weights (January first), found {len(numbers)}")
    return {month: weight for month, weight in enumerate(numbers, start=1)}


seasonality_arg.__name__ = "seasonality"
