"""Plans (versioned scenarios of the annual cascade) and the goals they set.

A ``Plan`` is a named scenario at a version: its inputs and every computed ``PlanLine``
(with the explanation of how the number was derived) are stored, so two scenarios can be
compared line by line before one is made active. Activating a plan writes ``Goal`` rows; a
goal's target changed later keeps its history in ``GoalChange`` (who, when, old, new, why).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils.translation import gettext_lazy as _

from pacesetter.fields import FixedDecimalField, MoneyField
from pacesetter.org.models import Person, Unit
from pacesetter.planning.explain import Explanation

PERIOD_KINDS = [
    ("year", _("Year")),
    ("quarter", _("Quarter")),
    ("month", _("Month")),
    ("week", _("Week")),
    ("day", _("Day")),
]


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    metric = models.SlugField(max_length=64, default="revenue_won")
    fiscal_year = models.PositiveSmallIntegerField(help_text=_("Labelled by the year it ends in."))
    annual_target = MoneyField()
    inputs = models.JSONField(default=dict, help_text=_("Everything the cascade was given."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="plan_name_version_unique"),
            # One plan in force per year and metric: activating another archives the old one.
            models.UniqueConstraint(
                fields=["fiscal_year", "metric"],
                condition=Q(status="active"),
                name="plan_one_active_per_year",
            ),
            models.CheckConstraint(condition=Q(annual_target__gte=0), name="plan_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.get_status_display()}, FY{self.fiscal_year})"

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


class PlannedHire(models.Model):
    """A seat to be hired into a team from a month on: the cascade gives it a quota."""

    team = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="planned_hires")
    start_month = models.DateField(help_text=_("The first day of the month the seat starts."))
    title = models.CharField(max_length=100, default="Account Executive")
    filled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start_month", "team"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_month__day=1), name="plannedhire_starts_on_the_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} in {self.team} from {self.start_month:%Y-%m}"

    @property
    def description(self) -> Explanation:
        """The seat as a page names it, in the reader's language (``__str__`` in English)."""
        return Explanation(
            "plan.seat",
            {"title": self.title, "team": str(self.team), "month": f"{self.start_month:%Y-%m}"},
        )

    @property
    def seat_id(self) -> str:
        return f"seat-{self.pk}"


class PlanLine(models.Model):
    """One computed monthly target of a plan, with how it was derived."""

    class Level(models.TextChoices):
        COMPANY = "company", _("Company")
        UNIT = "unit", _("Unit")
        TEAM = "team", _("Team")
        PERSON = "person", _("Person")
        SEAT = "seat", _("Planned hire")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    level = models.CharField(max_length=8, choices=Level.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seat = models.ForeignKey(
        PlannedHire, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.DateField(help_text=_("First day of the month."))
    target = MoneyField()
    explanation = models.TextField()

    class Meta:
        ordering = ["plan", "month", "id"]
        indexes = [
            # A plan's lines month by month, and the compare view: WHERE plan_id = ? ORDER BY month
            models.Index(fields=["plan", "month", "level"], name="planline_plan_month"),
        ]

    def __str__(self) -> str:
        who = self.person or self.seat or self.unit
        return f"{who} {self.month:%Y-%m}: {self.target}"


class Goal(models.Model):
    """A target for a metric, for a person or a unit, over a period."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Standard")
        WATERFALL = "waterfall", _("Waterfall step")
        STRETCH = "stretch", _("Stretch tier")
        COLLECTIVE = "collective", _("Collective")
        COMPETITION = "competition", _("Competition")
        DEVELOPMENT = "development", _("Development")

    metric = models.SlugField(max_length=64)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    period_kind = models.CharField(max_length=8, choices=PERIOD_KINDS)
    period_start = models.DateField()
    period_end = models.DateField(help_text=_("First day after the period."))
    target = FixedDecimalField(places=2)
    priority = models.PositiveSmallIntegerField(default=10, help_text=_("1 is the most important."))
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    tier_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tiers",
        help_text=_("For a stretch tier: the goal it stretches."),
    )
    note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(
        default=1,
        help_text=_("Goes up by one with every change: an edit based on an older version is "
                    "refused."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period_start", "priority", "metric"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="goal_one_assignee",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="goal_period_not_empty"
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_target_not_negative"),
            models.UniqueConstraint(
                fields=["metric", "person", "period_kind", "period_start", "kind"],
                condition=Q(person__isnull=False),
                name="goal_unique_per_person",
            ),
            models.UniqueConstraint(
                fields=["metric", "unit", "period_kind", "period_start", "kind"],
                condition=Q(unit__isnull=False),
                name="goal_unique_per_unit",
            ),
        ]
        indexes = [
            # Every goal of a period (dashboards): WHERE period_start >= ? AND period_end <= ?
            models.Index(fields=["period_start", "metric"], name="goal_period_metric"),
            # One person's goals in priority order: WHERE person_id = ? ORDER BY priority
            models.Index(fields=["person", "period_start"], name="goal_person_period"),
            # Org-wide progress reads every goal running in a period, with the columns it
            # judges by, from this index alone (21,009 goals: 63 → 42 ms on SQLite):
            #   WHERE period_end > ? AND period_start < ?
            models.Index(
                fields=[
                    "period_end",
                    "period_start",
                    "person",
                    "unit",
                    "metric",
                    "period_kind",
                    "target",
                    "priority",
                    "kind",
                ],
                name="goal_running_cover",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.unit
        return f"{self.metric} {who} {self.period_start}: {self.target}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Goal:
        """Goals are read by the ten thousand (an org-wide dashboard has ten per rep), and
        ``Model.__init__`` spends most of its time on per-field work a row from the database
        does not need: no defaults to fill in, no descriptors to run on a fresh instance.
        Django's documented hook for customising loading; the result is the same instance
        (deferred fields stay deferred), and the usual path is kept whenever something
        listens to ``pre_init`` or ``post_init``."""
        if pre_init.receivers or post_init.receivers:  # anyone listening, for any model
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        new.__dict__.update(zip(field_names, values, strict=True))
        new._state = ModelState()
        new._state.adding = False
        new._state.db = db
        return new


class GoalChange(models.Model):
    """The audit history of a goal's target."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="history")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    old_target = FixedDecimalField(places=2, null=True, blank=True)
    new_target = FixedDecimalField(places=2)
    reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("The goal's version this change made.")
    )

    class Meta:
        ordering = ["goal", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.goal}: {self.old_target} → {self.new_target}"


class CollectiveExclusion(models.Model):
    """A rep excused from a collective goal (M9) — on leave, say — with the reason shown to
    the whole team in the goal's report, so an exclusion is never a silent one.

    Either for one collective goal (``goal``), or for every collective goal of a team whose
    period shares a day with ``[period_start, period_end)`` (``unit`` and the dates): a leave
    is known by its dates, and one rule then covers the month's and the quarter's goals alike.
    """

    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="exclusions"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True, help_text=_("First day after the period."))
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="collective_exclusions"
    )
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    goal__isnull=False,
                    unit__isnull=True,
                    period_start__isnull=True,
                    period_end__isnull=True,
                )
                | Q(
                    goal__isnull=True,
                    unit__isnull=False,
                    period_start__isnull=False,
                    period_end__gt=F("period_start"),
                ),
                name="collectiveexclusion_goal_or_team_period",
            ),
            models.UniqueConstraint(
                fields=["goal", "person"],
                condition=Q(goal__isnull=False),
                name="collectiveexclusion_once_per_goal",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="collectiveexclusion_has_a_reason"
            ),
        ]
        # The report reads "WHERE goal_id IN (…) OR (unit_id IN (…) AND period_start < ?
        # AND period_end > ?)": the indexes Django puts on the goal and unit keys serve it.

    def __str__(self) -> str:
        what = self.goal or f"{self.unit} {self.period_start}–{self.period_end}"
        return f"{self.person} excused from {what}: {self.reason}"


class PeriodReopening(models.Model):
    """A closed period opened again by an admin, with the reason (see ``goals/periods.py``).

    A goal whose period has ended is frozen: nothing changes its target, not a plan's
    activation, not an edit, not a re-derived waterfall, unless an open reopening covers its
    whole period. Closing the reopening (``closed_at``) freezes the period again.
    """

    period_start = models.DateField()
    period_end = models.DateField(help_text=_("First day after the period."))
    reason = models.CharField(max_length=300)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reopened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="reopening_period_not_empty"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_a_reason"),
        ]

    def __str__(self) -> str:
        state = "closed again" if self.closed_at else "open"
        return f"{self.period_start}–{self.period_end} reopened ({state}): {self.reason}"
