"""The words the pages show for stored codes, translated (metric names, kinds, roles).

Statuses and period kinds are named by ``pacesetter.presentation`` (``status_label``,
``period_kind_label``), which commands and e-mails share.

Metric labels live in the database in English; the built-in ones are translated here by
name, and a metric an admin added shows its own label.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pacesetter.metrics.models import Metric
from pacesetter.presentation import METRIC_LABELS

KIND_LABELS: dict[str, Promise] = {
    "standard": _("Standard"),
    "waterfall": _("Waterfall step"),
    "stretch": _("Stretch tier"),
    "collective": _("Collective"),
    "competition": _("Competition"),
    "development": _("Development"),
}

ROLE_LABELS: dict[str, Promise] = {
    "admin": _("admin"),
    "manager": _("manager"),
    "rep": _("rep"),
    "mentor": _("mentor"),
}

# A scorecard row: its goal met, missed, or still open.
SCORE_STATE_LABELS: dict[str, Promise] = {
    "met": _("met"),
    "missed": _("missed"),
    "open": _("open"),
}

# How a plan's months were weighted (the plan's inputs keep the code).
SEASONALITY_LABELS: dict[str, Promise] = {
    "flat": _("flat (every month alike)"),
    "learned": _("learned from history"),
    "given": _("given month by month"),
}

# The stages of the reverse funnel (planning.reverse_funnel): what is counted at each.
FUNNEL_STAGE_LABELS: dict[str, Promise] = {
    "deal": _("Deals won"),
    "demo": _("Demos held"),
    "call": _("Calls made"),
}


def label_of(labels: dict[str, Promise], code: object) -> str:
    """The label of ``code`` in ``labels``; an unknown code as it is."""
    return str(labels.get(str(code), code))


def metric_label(metric: Metric | str) -> str:
    name = metric if isinstance(metric, str) else metric.name
    if name in METRIC_LABELS:
        return str(METRIC_LABELS[name])
    return name if isinstance(metric, str) else metric.label


def part_label(start: dt.date, end: dt.date) -> str:
    """The days of a part of a week (end exclusive), e.g. "November 30" or "December 1 –
    December 6", in the reader's language."""
    last = end - dt.timedelta(days=1)
    first_text = date_format(start, "MONTH_DAY_FORMAT")
    if last == start:
        return first_text
    return _("%(first)s – %(last)s") % {
        "first": first_text,
        "last": date_format(last, "MONTH_DAY_FORMAT"),
    }
