"""A count spread over working days or weeks, in words: "2" a day while there are at least as
many as days, "1 every 3 working days" when fewer (never "1 a day" for a 6-deal month)."""

from __future__ import annotations

from django.utils.translation import ngettext

from pacesetter import planning


def pace_text(count: int, periods: int, unit: str) -> str:
    """``count`` over ``periods`` working days (``unit="day"``) or weeks (``"week"``): the
    number each one needs ("2"), or how often one is needed ("1 every 3 working days")."""
    how_many, every = planning.spread_count(count, max(periods, 1))
    if every == 1:
        return str(how_many)
    if unit == "week":
        return ngettext("1 every %(n)s week", "1 every %(n)s weeks", every) % {"n": every}
    return ngettext("1 every %(n)s working day", "1 every %(n)s working days", every) % {"n": every}
