"""The week's numbers on the home page (the save is ``ledger.services.entries_save_week``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from pacesetter.ledger.services import WeekEntry
from pacesetter.metrics.models import Metric
from pacesetter.web.entries import entry_metric_key
from pacesetter.web.labels import metric_label, part_label


class WeeklyNumbersForm(forms.Form):
    """A week's numbers for every manual-entry metric: one field per metric, or one per
    metric and month when the week straddles two months (named ``metric@first-day``), so
    each number counts in the month it happened in."""

    def __init__(
        self,
        *args: Any,
        metrics: list[Metric],
        parts: list[tuple[dt.date, dt.date]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slots: dict[str, tuple[Metric, dt.date]] = {}
        for metric in metrics:
            if metric.source != Metric.Source.ENTRIES:
                raise ValueError(f"{metric.name} is not entered by hand")
            for start, end in parts:
                name = week_field_name(metric, start, parts)
                label = metric_label(metric)
                if len(parts) > 1:
                    label = f"{label} ({part_label(start, end)})"
                self.slots[name] = (metric, start)
                self.fields[name] = forms.DecimalField(
                    label=label,
                    min_value=0,
                    max_value=Decimal(100000),
                    decimal_places=2,
                    required=False,
                )

    def values(self) -> list[WeekEntry]:
        """The numbers filled in, each under the name its metric's entries are stored under."""
        return [
            WeekEntry(entry_metric_key(metric), first_day, self.cleaned_data[name])
            for name, (metric, first_day) in self.slots.items()
            if self.cleaned_data.get(name) is not None
        ]


def week_field_name(
    metric: Metric, first_day: dt.date, parts: list[tuple[dt.date, dt.date]]
) -> str:
    """The field of ``metric`` for the part of the week from ``first_day``: the metric's name,
    or ``name@first-day`` when the week has two parts."""
    return metric.name if len(parts) == 1 else f"{metric.name}@{first_day.isoformat()}"
