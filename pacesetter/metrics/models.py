"""Metrics are data: what to count, sum or measure, and which way is better.

A ``Metric`` names a source (activities, deals, accounts, manual entries), a filter, an
aggregation, a direction and a unit. The built-in catalog (migration 0002) defines the
metrics of every example goal under stable names that users and scripts rely on.

The monthly rollups the engine reads live with the facts they summarise, in the ledger
(``pacesetter.ledger.models``, kept current by ``pacesetter.ledger.rollups``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.Model):
    class Source(models.TextChoices):
        ACTIVITIES = "activities", _("Activities")
        DEALS = "deals", _("Deals")
        ACCOUNTS = "accounts", _("Accounts")
        ENTRIES = "entries", _("Manual entries")

    class Aggregation(models.TextChoices):
        COUNT = "count", _("Count")
        SUM = "sum", _("Sum")
        RATIO = "ratio", _("Ratio (won / closed)")
        MEDIAN_DAYS = "median_days", _("Median duration in days")
        COVERAGE = "coverage", _("Coverage of new customers")
        RETENTION = "retention", _("Retention of customers")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Unit(models.TextChoices):
        MONEY = "money", _("Money")
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percent")
        DAYS = "days", _("Days")

    name = models.SlugField(max_length=64, unique=True)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    aggregation = models.CharField(max_length=12, choices=Aggregation.choices)
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            'E.g. {"kind": "demo"}, {"kind": "demo", "segment": "enterprise"}, '
            '{"status": "won"}, {"metric": "pd_events"}, {"recent_months": 6, "window_days": 30}.'
        ),
    )
    direction = models.CharField(max_length=8, choices=Direction.choices, default="higher")
    unit = models.CharField(max_length=8, choices=Unit.choices)
    built_in = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def lower_is_better(self) -> bool:
        return self.direction == self.Direction.LOWER
