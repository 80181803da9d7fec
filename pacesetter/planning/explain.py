"""Explanations as data: a code and its parameters, turned into words at the edge.

The planning core says *why* a number is what it is — "ramp month 3 (0.50)", "met 100 %
in each of the last 3 months (Aug 104 %, …)" — without choosing the words: it returns an
``Explanation(code, params)``, and the layer that knows the reader's language
(``pacesetter.explanations``) holds one message per code and renders it. ``str()`` of an
explanation goes through the renderer that layer installs (``use_renderer``); without one,
as in a plain Python session, it shows the code and its parameters.

Parameters are plain values (str, int, Decimal) or the small wrappers below, which tell
the renderer how to show them in the reader's language: an amount of money, a percent, a
month, a day, a word from a fixed list (``Term``), a list (``Items``), or a nested
explanation. ``to_data`` / ``from_data`` turn an explanation into JSON-ready data and back,
so that a stored explanation can be shown later in whatever language its reader uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Money:
    """An amount in a currency, shown as ``$1,234.50``."""

    amount: Decimal
    currency: str = "$"


@dataclass(frozen=True)
class Percent:
    """A share shown as a percent: ``Percent(Decimal("0.125"))`` → ``12.50 %``;
    ``places=None`` trims zeros (``10 %``)."""

    share: Decimal | Fraction
    places: int | None = 2


@dataclass(frozen=True)
class Month:
    """A calendar month (1 = January) by its short name: Jan, Feb …"""

    number: int


# How a Day is written: "15 Nov", "15 Nov 2026", "Nov 2026", "2026-11-15".
DAY_STYLES = ("day_month", "day_month_year", "month_year", "iso")


@dataclass(frozen=True)
class Day:
    """A date, in one of ``DAY_STYLES``."""

    day: dt.date
    style: str = "day_month"

    def __post_init__(self) -> None:
        if self.style not in DAY_STYLES:
            raise ValueError(f"day style must be one of {DAY_STYLES}, got {self.style!r}")


@dataclass(frozen=True)
class Term:
    """A word from a fixed vocabulary (``group``), by key: ``Term("unit_kind", "team")``.
    A key the vocabulary does not know is shown as ``fallback``, or as it is (a name a user
    chose)."""

    group: str
    key: str
    fallback: str = ""


SEPARATORS = ("comma", "semicolon", "and")


@dataclass(frozen=True)
class Items:
    """Values shown one after the other: "Aug, Sep" (comma), "a; b" (semicolon), "a and b"."""

    items: tuple[Any, ...]
    separator: str = "comma"

    def __post_init__(self) -> None:
        if self.separator not in SEPARATORS:
            raise ValueError(f"separator must be one of {SEPARATORS}, got {self.separator!r}")


@dataclass(frozen=True)
class Explanation:
    """Why a number is what it is, as a message code and the values the message shows."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return _renderer(self)

    def with_params(self, **changes: Any) -> Explanation:
        """The same explanation with some parameters replaced."""
        return Explanation(self.code, {**self.params, **changes})

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data (see ``from_data``)."""
        return {"code": self.code, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Explanation:
        """The explanation ``to_data`` wrote."""
        return cls(data["code"], {k: _decode(v) for k, v in data.get("params", {}).items()})


def joined(parts: tuple[Explanation, ...] | list[Explanation]) -> Explanation:
    """Several explanations read as one, separated by semicolons."""
    return Explanation("list", {"items": Items(tuple(parts), "semicolon")})


def _plain_render(e: Explanation) -> str:
    shown = ", ".join(f"{k}={v}" for k, v in e.params.items())
    return f"{e.code}({shown})" if shown else e.code


_renderer: Callable[[Explanation], str] = _plain_render


def use_renderer(render: Callable[[Explanation], str] | None) -> Callable[[Explanation], str]:
    """Make ``str()`` of every explanation go through ``render`` (None: the plain fallback);
    returns the renderer it replaces."""
    global _renderer
    previous = _renderer
    _renderer = render or _plain_render
    return previous


# --- JSON ---------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, Explanation):
        return {"$": "explanation", **value.to_data()}
    if isinstance(value, Money | Percent | Month | Day | Term | Items):
        return _encode_param(value)
    if isinstance(value, Decimal):
        return {"$": "decimal", "value": str(value)}
    if isinstance(value, dt.date):
        return {"$": "date", "value": value.isoformat()}
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _encode_param(value: Money | Percent | Month | Day | Term | Items) -> dict[str, Any]:
    """One of the explanations' own parameter types, tagged with its kind (``"$"``)."""
    if isinstance(value, Money):
        return {"$": "money", "amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Percent):
        share = value.share
        text = f"{share.numerator}/{share.denominator}" if isinstance(share, Fraction) else share
        return {"$": "percent", "share": str(text), "places": value.places}
    if isinstance(value, Month):
        return {"$": "month", "number": value.number}
    if isinstance(value, Day):
        return {"$": "day", "day": value.day.isoformat(), "style": value.style}
    if isinstance(value, Term):
        return {"$": "term", "group": value.group, "key": value.key, "else": value.fallback}
    return {"$": "items", "items": [_encode(v) for v in value.items], "sep": value.separator}


def _decode(value: Any) -> Any:
    if not isinstance(value, Mapping) or "$" not in value:
        return value
    kind = value["$"]
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise ValueError(f"unknown explanation value {kind!r}")
    return decoder(value)


def _decode_percent(value: Mapping[str, Any]) -> Percent:
    text = value["share"]
    share = Fraction(text) if "/" in text else Decimal(text)
    return Percent(share, value["places"])


# Each tagged kind (``"$"``) back to its value.
_DECODERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "explanation": Explanation.from_data,
    "money": lambda v: Money(Decimal(v["amount"]), v["currency"]),
    "percent": _decode_percent,
    "month": lambda v: Month(int(v["number"])),
    "day": lambda v: Day(dt.date.fromisoformat(v["day"]), v["style"]),
    "term": lambda v: Term(v["group"], v["key"], v.get("else", "")),
    "items": lambda v: Items(tuple(_decode(x) for x in v["items"]), v["sep"]),
    "decimal": lambda v: Decimal(v["value"]),
    "date": lambda v: dt.date.fromisoformat(v["value"]),
}
