"""A metric's ``filters`` (``Metric.filters``, JSON an admin may edit) read in one place, as
the conditions of the ledger rows the metric counts.

The engine (``metrics/engine.py``), the daily history of realism (``tracking/realism.py``)
and the burn-up charts (``web/burnup.py``) all count a metric's rows; they ask this module
which rows those are, so the three always agree. The keys:

* ``kind``: an activity kind or a list of them (``"demo"``, ``["call", "email"]``); none or
  an empty list counts every kind. Activities only.
* ``segment``: the account segment (``"enterprise"``). Activities and deals.
* ``status``: the deal status counted by counts and sums, ``"won"`` unless given. A ratio
  (close rate) counts won deals among the closed ones and ignores it.
* ``metric``: the name the manual entries are stored under; the metric's own name unless
  given (``{"metric": "pd_events"}``).
* ``recent_months`` (6 unless given) and ``window`` (``"month"``, or ``"two_weeks"``): new-
  customer coverage counts the customers acquired in the months before the period, touched
  in every window of it.

Other keys are ignored. Conditions come as ``filter()`` keyword arguments, so that callers
add them to the one ``filter()`` call they make (each call copies the query).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pacesetter.metrics.models import Metric

MONTH, TWO_WEEKS = "month", "two_weeks"


@dataclass(frozen=True)
class MetricFilters:
    """What a metric's ``filters`` say, with the defaults filled in."""

    kinds: tuple[str, ...] = ()
    segment: str = ""
    status: str = "won"
    entry_metric: str = ""
    recent_months: int = 6
    window: str = MONTH  # MONTH or TWO_WEEKS

    def activities(self) -> dict[str, Any]:
        """Conditions on ``Activity`` and ``ActivityMonth`` rows: the kinds and the segment."""
        conditions: dict[str, Any] = {}
        if self.kinds:
            conditions["kind__in"] = list(self.kinds)
        if self.segment:
            conditions["segment"] = self.segment
        return conditions

    def deals(self, *, by_status: bool = True) -> dict[str, Any]:
        """Conditions on ``Deal`` and ``DealMonth`` rows: the status counted and the segment.
        ``by_status=False`` leaves the status to the caller (a ratio counts won and lost)."""
        conditions: dict[str, Any] = {"status": self.status} if by_status else {}
        if self.segment:
            conditions["segment"] = self.segment
        return conditions

    def entries(self) -> dict[str, Any]:
        """Conditions on ``ManualEntry`` rows: the metric they are stored under."""
        return {"metric": self.entry_metric}


def filters_of(metric: Metric) -> MetricFilters:
    """``metric.filters`` read: ValueError naming the metric when a key has the wrong type."""
    given = metric.filters or {}
    if not isinstance(given, dict):
        raise ValueError(f"metric {metric.name}: filters must be an object, got {given!r}")
    kinds = given.get("kind") or ()
    if isinstance(kinds, str):
        kinds = (kinds,)
    if not isinstance(kinds, list | tuple) or not all(isinstance(k, str) for k in kinds):
        raise ValueError(f"metric {metric.name}: kind must be a kind or a list of kinds")
    try:
        recent = int(given.get("recent_months", 6))
    except (TypeError, ValueError):
        raise ValueError(f"metric {metric.name}: recent_months must be a whole number") from None
    return MetricFilters(
        kinds=tuple(kinds),
        segment=str(given.get("segment") or ""),
        status=str(given.get("status", "won")),
        entry_metric=str(given.get("metric", metric.name)),
        recent_months=recent,
        # Any window but a month has always meant two weeks.
        window=MONTH if given.get("window", MONTH) == MONTH else TWO_WEEKS,
    )
