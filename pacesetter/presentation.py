"""Numbers, money, percentages, periods and statuses as people read them, in their language.

The one place pages, e-mails and the human-readable output of commands get these from:

* thousands grouped in both languages (``13,150,000.00`` in English and in Chinese; the
  separators come from the active language's formats, ``locale/zh_Hans/formats.py`` for
  Chinese);
* one minus sign, the typographic U+2212 (``−$80.00``, ``−5``), never a hyphen;
* "—" for a value that does not exist (yet).

The digits are written by ``planning.money.format_number`` (pure Python, so that the planning
maths can use it too), given the reader's separators here. Machine output —
the CSV and JSON of commands (``pacesetter.tabular``), a spreadsheet's numeric cells — does
not come through here: it stays plain and parseable (``13150000.00``, ``-5``).

A bottom module: it imports Django and ``pacesetter.planning``, and no app. Units and
status codes are the stored strings (``Metric.Unit``, ``tracking.progress``).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from pacesetter import planning
from pacesetter.planning.money import MINUS, Separators, format_money, format_number

NONE = "—"  # a value that does not exist (yet): no data, no rate without closed deals

Value = Decimal | Fraction | int

# Metric units (``metrics.models.Metric.Unit``).
MONEY, COUNT, PERCENT, DAYS = "money", "count", "percent", "days"

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "INR": "₹"}

# The built-in metrics' labels (``metrics/catalog.py``), in the reader's language.
METRIC_LABELS: dict[str, Promise] = {
    "revenue_won": _("Revenue won"),
    "deals_won": _("Deals won"),
    "close_rate": _("Close rate"),
    "lead_to_customer_days": _("Lead-to-customer time"),
    "demos_held": _("Demos held"),
    "enterprise_demos": _("Enterprise demos"),
    "calls_made": _("Calls made"),
    "emails_sent": _("E-mails sent"),
    "meetings_booked": _("Meetings booked"),
    "meetings_held": _("Meetings held"),
    "articles_shared": _("Articles shared"),
    "new_customer_coverage": _("New-customer coverage"),
    "retention_rate": _("Customer retention"),
    "pd_events": _("Professional-development events"),
}

# The built-in metrics' descriptions (``metrics/catalog.py``), in the reader's language; a
# description an admin changed is shown as it is (``metric_description``).
METRIC_DESCRIPTIONS: dict[str, Promise] = {
    "revenue_won": _("Sum of the amounts of deals won, by close date."),
    "deals_won": _("Number of deals won, by close date."),
    "close_rate": _("Deals won ÷ deals closed (won or lost) in the period, in percent."),
    "lead_to_customer_days": _(
        "Median days from a deal's creation to its win, for deals won in the period."
    ),
    "demos_held": _("Product demos held."),
    "enterprise_demos": _("Demos held for accounts of the enterprise segment."),
    "calls_made": _("Calls made."),
    "emails_sent": _("Prospecting and follow-up e-mails sent."),
    "meetings_booked": _("Meetings booked with prospects or customers."),
    "meetings_held": _("Meetings held."),
    "articles_shared": _("Articles shared with prospects or on social media."),
    "new_customer_coverage": _(
        "Share of the customers acquired in the last 6 months that had at least one touch "
        '(e-mail, call, meeting or demo) in every month of the period so far; set "window": '
        '"two_weeks" for every two weeks.'
    ),
    "retention_rate": _(
        "Customers at the start of the period still customers at its end (or today), in percent."
    ),
    "pd_events": _("Events attended, reported weekly on the form or the spreadsheet."),
}

STATUS_LABELS: dict[str, Promise] = {
    "achieved": _("achieved"),
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "behind": _("behind"),
}

PERIOD_LABELS: dict[str, Promise] = {
    "year": _("Year"),
    "quarter": _("Quarter"),
    "month": _("Month"),
    "week": _("Week"),
    "day": _("Day"),
}


# --- separators --------------------------------------------------------------------------


def separators() -> Separators:
    """How the active language writes numbers (Django's formats for it)."""
    return _separators_of(get_language())


@functools.lru_cache(maxsize=16)
def _separators_of(language: str | None) -> Separators:
    # A dashboard writes thousands of numbers: the formats are looked up once per language.
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    if not isinstance(grouping, int):  # a sequence such as (3, 2, 0): its first group
        grouping = int(grouping[0]) if grouping else 0
    return Separators(
        str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True)),
        str(get_format("DECIMAL_SEPARATOR", language, use_l10n=True)),
        grouping,
    )


@receiver(setting_changed)
def _formats_changed(**kwargs: Any) -> None:
    """Tests that override the format settings see them here too."""
    _separators_of.cache_clear()


# --- numbers -----------------------------------------------------------------------------


def number(value: Value | None, places: int | None = None, *, trim: bool = False) -> str:
    """``value`` with ``places`` decimals (rounded half up): ``13,150,000.00``, ``−5``.

    ``places=None`` writes as many decimals as the value needs (``0.5``, ``10``); ``trim``
    drops the zeros left after rounding (``12.5``, ``12``). None → "—".
    """
    if value is None:
        return NONE
    return format_number(value, places, trim=trim, separators=separators())


def plain(value: Value | None) -> str:
    """A count as people read it: whole numbers bare (``1,234``), others to two places
    (``2.50``). None → "—"."""
    if value is None:
        return NONE
    amount = _decimal(value)
    return number(amount, 0 if amount == amount.to_integral_value() else 2)


def money(value: Value | None, symbol: str = "$") -> str:
    """Rounded to the cent: ``$13,150,000.00``, ``−$80.00``. None → "—"."""
    if value is None:
        return NONE
    return format_money(value, symbol, separators=separators())


def compact_money(value: Value | None, symbol: str = "$") -> str:
    """Money for a dense table: ``$950``, ``$164.2k``, ``$1.4M``, ``−$12.0k`` (the exact amount
    belongs in a title). None → "—"."""
    if value is None:
        return NONE
    amount = abs(_decimal(value))
    text = number(amount, 0)
    for size, suffix in ((Decimal(1_000_000), "M"), (Decimal(1000), "k")):
        if amount >= size:
            text = number(amount / size, 1 if amount < size * 100 else 0) + suffix
            break
    negative = value < 0 and any(digit in text for digit in "123456789")
    return f"{MINUS if negative else ''}{symbol}{text}"


def percent(value: Value | None, places: int | None = 1, *, trim: bool = False) -> str:
    """A value already in percent: ``75.0 %``, ``−12.5 %`` (``share`` writes a fraction).
    None → "—"."""
    if value is None:
        return NONE
    return f"{number(value, places, trim=trim)} %"


def share(value: Value | None, places: int | None = 1, *, trim: bool = False) -> str:
    """A share as a percent: ``0.125`` → ``12.5 %`` (``places=1``). None → "—"."""
    if value is None:
        return NONE
    return percent(_decimal(value) * 100, places, trim=trim)


def currency_symbol(code: str) -> str:
    """``USD`` → "$"; a currency without a symbol is written by its code: ``CHF 1,200.00``."""
    return CURRENCY_SYMBOLS.get(code, code + " ")


def metric_value(value: Value | None, unit: str, symbol: str = "$") -> str:
    """A value in its metric's unit: ``$12,340.00``, ``21``, ``75.0 %``, ``18 days``.
    None → "—"."""
    if value is None:
        return NONE
    if unit == MONEY:
        return money(value, symbol)
    if unit == PERCENT:
        return percent(value, 1)
    if unit == DAYS:
        return ngettext("%(n)s day", "%(n)s days", 1 if value == 1 else 2) % {"n": plain(value)}
    return plain(value)


def _decimal(value: Value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


# --- labels ------------------------------------------------------------------------------


def metric_description(name: str, stored: str) -> str:
    """A metric's description in the reader's language: a built-in metric's, translated, while
    it is the catalogue's own (``stored`` in English); any other as it is stored."""
    description = METRIC_DESCRIPTIONS.get(name)
    if description is None:
        return stored
    with translation.override("en"):
        catalogue = str(description)
    return str(description) if stored == catalogue else stored


def status_label(status: str) -> str:
    """``on_track`` → "on track" / "进展正常"; an unknown code as it is."""
    label = STATUS_LABELS.get(status)
    return status if label is None else str(label)


def period_kind_label(kind: str) -> str:
    """``quarter`` → "Quarter" / "季度"; an unknown kind as it is."""
    label = PERIOD_LABELS.get(kind)
    return kind if label is None else str(label)


def period_label(kind: str, start: dt.date, end: dt.date, cal: planning.WorkCalendar) -> str:
    """How people name a period, the same in every language: 2026-11, 2026-W47, 2026-Q4,
    2026 (a fiscal year by the calendar year it ends in), or the day (2026-11-18)."""
    if kind == "month":
        return f"{start:%Y-%m}"
    if kind == "week":
        return planning.week_of(start, cal).label
    if kind == "quarter":
        return planning.quarter_of(start, cal).label
    if kind == "year":
        return str(end.year if cal.fiscal_year_start_month != 1 else start.year)
    return start.isoformat()
