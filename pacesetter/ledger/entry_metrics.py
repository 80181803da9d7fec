"""Which metrics take manual entries (the weekly numbers people type in or upload).

The metric catalog lives above the ledger (``pacesetter.metrics``). The ledger stores a
manual entry under its metric's name and needs the list of such metrics to read a weekly
file and to draw its template, so the catalog hands a way to list them down at start-up
(``MetricsConfig.ready`` calls ``register``). Until then, or without the metrics app, the
list is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EntryMetric:
    name: str
    label: str
    description: str = ""


_listing: Callable[[], list[EntryMetric]] = list


def register(listing: Callable[[], list[EntryMetric]]) -> None:
    """Tell the ledger how to list the manual-entry metrics (called once at start-up)."""
    global _listing
    _listing = listing


def entry_metrics() -> list[EntryMetric]:
    """The manual-entry metrics, by name."""
    return sorted(_listing(), key=lambda m: m.name)
