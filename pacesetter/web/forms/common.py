"""What several forms share: the largest target, the metrics to choose from, and periods
read (with errors in the words of the forms' hints)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from pacesetter import planning
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


# How each kind of period is written, as the forms' hints show it.
PERIOD_EXAMPLES = {
    "month": "2026-12",
    "quarter": "2026-Q4",
    "year": "2026",
    "week": "2026-W49",
    "day": "2026-12-07",
}


def period_hint(kinds: Sequence[str]) -> str:
    """How to write a period of ``kinds``, in the words of the forms' hints: "Write the
    month as 2026-12, the quarter as 2026-Q4, the year as 2026." """
    ways = {
        "month": _("the month as %(example)s"),
        "quarter": _("the quarter as %(example)s"),
        "year": _("the year as %(example)s"),
        "week": _("the week as %(example)s"),
        "day": _("the day as %(example)s"),
    }
    parts = [str(ways[k]) % {"example": PERIOD_EXAMPLES[k]} for k in kinds]
    return _("Write %(ways)s.") % {"ways": ", ".join(parts)}


def read_period(
    text: str, cal: planning.WorkCalendar, kinds: Sequence[str] = ("month", "quarter", "year")
) -> planning.Period:
    """The period ``text`` names, one of ``kinds``; else a ValidationError that says how to
    write one, as the field's hint does (not the parser's list of every label)."""
    try:
        period = planning.parse_period(text, cal)
    except ValueError:
        raise forms.ValidationError(period_hint(kinds), code="period") from None
    if period.kind not in kinds:
        raise forms.ValidationError(period_hint(kinds), code="period_kind")
    return period
