"""An explanation as text in the active language: its message, its parameters written as
the reader reads them (money, percents and numbers by ``pacesetter.presentation``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import formats, translation
from django.utils.functional import lazy

from pacesetter import presentation
from pacesetter.explanations.messages import MESSAGES, SEPARATORS, TERMS
from pacesetter.planning import explain
from pacesetter.planning.explain import Day, Explanation, Items, Money, Month, Percent, Term
from pacesetter.planning.money import format_percent

_ENGLISH_DAY = {
    "day_month": "%d %b",
    "day_month_year": "%d %b %Y",
    "month_year": "%b %Y",
}
_LOCAL_DAY = {
    "day_month": "MONTH_DAY_FORMAT",
    "day_month_year": "DATE_FORMAT",
    "month_year": "YEAR_MONTH_FORMAT",
}


def _english_now() -> bool:
    language = translation.get_language()
    return language is None or language.split("-")[0] == "en"


def show(value: Any) -> str:
    """One parameter as the reader reads it."""
    if isinstance(value, Explanation):
        return _render(value)
    if isinstance(value, Money | Percent | Month | Day | Term | Items):
        return _show_param(value)
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | Fraction):
        return presentation.number(value)
    return str(value)


def _show_param(value: Money | Percent | Month | Day | Term | Items) -> str:
    """One of the explanations' own parameter types, in the reader's language."""
    if isinstance(value, Money):
        return presentation.money(value.amount, value.currency)
    if isinstance(value, Percent):
        return format_percent(value.share, value.places, separators=presentation.separators())
    if isinstance(value, Month):
        day = dt.date(2000, value.number, 1)
        return f"{day:%b}" if _english_now() else formats.date_format(day, "M")
    if isinstance(value, Day):
        return _show_day(value)
    if isinstance(value, Term):
        word = TERMS.get(value.group, {}).get(value.key)
        return str(word) if word is not None else value.fallback or value.key
    return str(SEPARATORS[value.separator]).join(show(v) for v in value.items)


def _show_day(value: Day) -> str:
    if value.style == "iso":
        return value.day.isoformat()
    if _english_now():
        return value.day.strftime(_ENGLISH_DAY[value.style])
    return formats.date_format(value.day, _LOCAL_DAY[value.style])


def _render(e: Explanation) -> str:
    message = MESSAGES.get(e.code)
    if message is None:
        return explain._plain_render(e)
    params = {name: show(value) for name, value in e.params.items()}
    try:
        return (str(message) % params).strip()
    except (KeyError, ValueError, TypeError):
        # A translation that lost a placeholder must not take the page down: say it in English.
        with translation.override("en"):
            return (str(message) % params).strip()


def text_of(e: Explanation, language: str | None = None) -> str:
    """``e`` in ``language`` (the active one when None)."""
    if language is None:
        return _render(e)
    with translation.override(language):
        return _render(e)


def message_of(error: BaseException) -> str:
    """What an error says, in the reader's language: a ``planning.PlanningError`` (or any
    error with an ``explanation``) by its explanation, another by its own text (already in
    the reader's language when it was raised with gettext)."""
    explanation = getattr(error, "explanation", None)
    if isinstance(explanation, Explanation):
        return text_of(explanation)
    return str(error)


def english(e: Explanation) -> str:
    """``e`` in English, as it is stored and as the commands print it."""
    return text_of(e, "en")


explain_lazy = lazy(text_of, str)


def term(group: str, key: str) -> str:
    """A word of ``TERMS`` in the active language (the key itself when it has none)."""
    return show(Term(group, key))


def ordinal(n: int) -> Explanation:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st — "第 1 名" in Chinese."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return Explanation(f"ordinal.{suffix}", {"n": n})


def with_terms(
    e: Explanation,
    group: str,
    names: Sequence[str],
    words: Callable[[str], str] | None = None,
) -> Explanation:
    """``e`` with every parameter called one of ``names`` that is a plain key (here and in
    nested explanations) turned into a word of ``TERMS[group]`` — e.g. a rewards note's
    metric code ("revenue_won") into the metric's words ("revenue won", "成交收入"). A key
    the vocabulary does not have is shown as ``words(key)`` when given."""

    def walk(value: Any, name: str) -> Any:
        if isinstance(value, Explanation):
            return Explanation(value.code, {k: walk(v, k) for k, v in value.params.items()})
        if isinstance(value, Items):
            return Items(tuple(walk(v, name) for v in value.items), value.separator)
        if name in names and isinstance(value, str) and value:
            if value in TERMS[group]:
                return Term(group, value)
            if words is not None:
                return Term(group, value, words(value))
        return value

    return walk(e, "")


explain.use_renderer(_render)
