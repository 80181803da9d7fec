"""What several forms share: the largest target, and the metrics to choose from."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from pacesetter.metrics.models import Metric
from pacesetter.web.labels import metric_label

MAX_TARGET = Decimal("999999999999.99")


def metric_choices(source: str | None = None) -> list[tuple[str, str]]:
    metrics = Metric.objects.order_by("name")
    if source:
        metrics = metrics.filter(source=source)
    return [(m.name, metric_label(m)) for m in metrics]


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, to set its choices (``form.fields`` may hold any kind
    of field, as far as the type checker knows)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field
