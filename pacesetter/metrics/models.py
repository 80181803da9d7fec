"""Metrics are data: what to count, sum or measure, and which way is better.

A ``Metric`` names a source (activities, deals, accounts, manual entries), a filter, an
aggregation, a direction and a unit. The built-in catalog (migration 0002) defines the
metrics of every example goal under stable names that users and scripts rely on.

The monthly rollups the engine reads live with the facts they summarise, in the ledger
(``pacesetter.ledger.models``, kept current by ``pacesetter.ledger.rollups``).
"""

from __future__ import annotations

from django.db import models


class Metric(models.Model):
    class Source(models.TextChoices):
        ACTIVITIES = "activities", "Activities"
        DEALS = "deals", "Deals"
        ACCOUNTS = "accounts", "Accounts"
        ENTRIES = "entries", "Manual entries"

    class Aggregation(models.TextChoices):
        COUNT = "count", "Count"
        SUM = "sum", "Sum"
        RATIO = "ratio", "Ratio (won / closed)"
        MEDIAN_DAYS = "median_days", "Median duration in days"
        COVERAGE = "coverage", "Coverage of new customers"
        RETENTION = "retention", "Retention of customers"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Unit(models.TextChoices):
        MONEY = "money", "Money"
        COUNT = "count", "Count"
        PERCENT = "percent", "Percent"
        DAYS = "days", "Days"

    name = models.SlugField(max_length=64, unique=True)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    aggregation = models.CharField(max_length=12, choices=Aggregation.choices)
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text='E.g. {"kind": "demo"}, {"kind": "demo", "segment": "enterprise"}, '
        '{"status": "won"}, {"metric": "pd_events"}, {"recent_months": 6, "window_days": 30}.',
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
