"""The words the pages show for stored codes, translated (metric names, statuses, kinds).

Metric labels live in the database in English; the built-in ones are translated here by
name, and a metric an admin added shows its own label.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pacesetter.metrics.models import Metric

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

STATUS_LABELS: dict[str, Promise] = {
    "achieved": _("achieved"),
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "behind": _("behind"),
}

KIND_LABELS: dict[str, Promise] = {
    "standard": _("Standard"),
    "waterfall": _("Waterfall step"),
    "stretch": _("Stretch tier"),
    "collective": _("Collective"),
    "competition": _("Competition"),
    "development": _("Development"),
}

PERIOD_LABELS: dict[str, Promise] = {
    "year": _("Year"),
    "quarter": _("Quarter"),
    "month": _("Month"),
    "week": _("Week"),
    "day": _("Day"),
}

ROLE_LABELS: dict[str, Promise] = {
    "admin": _("admin"),
    "manager": _("manager"),
    "rep": _("rep"),
    "mentor": _("mentor"),
}


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
