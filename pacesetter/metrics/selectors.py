"""Reads of the metric catalog that other layers are handed (see ``MetricsConfig.ready``)."""

from __future__ import annotations

from pacesetter.ledger.entry_metrics import EntryMetric
from pacesetter.metrics.models import Metric


def manual_entry_metrics() -> list[EntryMetric]:
    """The metrics people report by hand (``Metric.source == entries``), one query."""
    rows = Metric.objects.filter(source=Metric.Source.ENTRIES).order_by("name")
    return [EntryMetric(*row) for row in rows.values_list("name", "label", "description")]
