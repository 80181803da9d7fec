"""Incentives (M5): programs with budgets, the rules that earn rewards, and the awards earned.

* A ``Reward`` is what a rep gets: cash (in the org's currency), or something non-monetary —
  recognition, a day off, an outing — with a value so that it can be budgeted.
* A ``Program`` holds a budget per period (month, quarter or fiscal year) for the people of a
  unit (or everyone), and the ``Rule`` s that spend it: a goal met, a stretch tier met, a
  competition won, a collective goal met — optionally only when the rep's top-priority goals
  of the same period were met too.
* An ``Award`` is one reward earned under one rule by one person for one goal. The database
  refuses a second award with the same (rule, person, goal), so re-running the computation or
  re-importing the same data never pays twice. An award is never deleted when the data
  changes: a correction downwards *reverses* it (status, reason, time), a correction upwards
  earns it again. Every such change is an ``AwardEntry`` — an append-only ledger that the
  payout report nets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pacesetter.fields import MoneyField
from pacesetter.goals.models import PERIOD_KINDS, Goal
from pacesetter.org.models import Person, Unit


class Reward(models.Model):
    """What a rep gets. ``value`` is the cash paid, or the budgeted value of the non-cash kinds."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        RECOGNITION = "recognition", _("Recognition")
        DAY_OFF = "day_off", _("Day off")
        OUTING = "outing", _("Outing")
        OTHER = "other", _("Other (non-monetary)")

    name = models.CharField(max_length=120, help_text=_("e.g. “$250 bonus”, “An extra day off”."))
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = MoneyField(help_text=_("Cash paid, or the value budgeted for a non-monetary reward."))
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="reward_value_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cash(self) -> bool:
        return self.kind == self.Kind.CASH


class Program(models.Model):
    """A budget per period for the rewards of a unit's people (everyone when no unit)."""

    class BudgetPeriod(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Fiscal year")

    name = models.CharField(max_length=120, unique=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reward_programs",
        help_text=_("Only people and teams of this unit (and below) earn; empty: everyone."),
    )
    budget = MoneyField(help_text=_("What may be committed in each budget period."))
    budget_period = models.CharField(
        max_length=8, choices=BudgetPeriod.choices, default=BudgetPeriod.MONTH
    )
    starts_on = models.DateField(help_text=_("Goals starting on or after this day count."))
    ends_on = models.DateField(
        null=True, blank=True, help_text=_("First day no longer counted; empty while it runs.")
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="program_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="program_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """What earns a reward under a program. Only active rules are computed; activating one
    checks its maximum exposure against the budget (see ``services.rule_activate``)."""

    class Trigger(models.TextChoices):
        GOAL_MET = "goal_met", _("Goal met")
        STRETCH_MET = "stretch_met", _("Stretch tier met")
        COMPETITION_WON = "competition_won", _("Competition won")
        COLLECTIVE_MET = "collective_met", _("Collective goal met")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    class RankBy(models.TextChoices):
        # As metrics.leaderboard.competition_standings ranks: fair by default.
        PERCENT = "percent", _("Percent of own goal")
        RAW = "raw", _("Raw value")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=120)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="rules")
    metric = models.SlugField(
        max_length=64, blank=True, help_text=_("Only this metric; empty: any.")
    )
    period_kind = models.CharField(
        max_length=8, choices=PERIOD_KINDS, blank=True, help_text=_("Only goals of this period.")
    )
    top_n = models.PositiveSmallIntegerField(
        default=1, help_text=_("Competitions: the top N win (everyone tied within them wins).")
    )
    rank_by = models.CharField(max_length=8, choices=RankBy.choices, default=RankBy.PERCENT)
    requires_top_priority = models.BooleanField(
        default=False,
        help_text=_("Pay only when the person's top-priority goals of the period were met too."),
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    over_budget_override = models.BooleanField(
        default=False, help_text=_("Activated although its exposure exceeded the budget.")
    )
    activation_note = models.TextField(blank=True, help_text=_("The budget check at activation."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(top_n__gte=1), name="rule_top_n_positive"),
            models.UniqueConstraint(fields=["program", "name"], name="rule_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.name}"


class Award(models.Model):
    """One reward earned by one person under one rule for one goal — at most once."""

    class Status(models.TextChoices):
        EARNED = "earned", _("Earned")
        REVERSED = "reversed", _("Reversed")

    # Payout history outlives mistakes elsewhere: a rule, person or goal with awards cannot be
    # deleted (retire the rule, end the person's membership, correct the goal instead).
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="awards")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="awards")
    period_start = models.DateField(
        help_text=_("The goal's first day: the period (and budget period) the award counts in.")
    )
    value = MoneyField(help_text=_("The reward's value when it was (last) earned."))
    status = models.CharField(max_length=8, choices=Status.choices)
    funded = models.BooleanField(help_text=_("Within the budget; unfunded awards are not paid."))
    detail = models.CharField(max_length=300, help_text=_("How it was earned."))
    reason = models.CharField(max_length=300, blank=True, help_text=_("Why it was reversed."))
    earned_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period_start", "person", "rule", "id"]
        constraints = [
            # The natural key: re-running the computation can never pay the same thing twice.
            models.UniqueConstraint(fields=["rule", "person", "goal"], name="award_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="award_value_not_negative"),
        ]
        indexes = [
            # The payout report and the budgets: WHERE period_start >= ? AND period_start < ?
            models.Index(fields=["period_start", "rule"], name="award_period_rule"),
            # A person's own rewards: WHERE person_id = ? ORDER BY period_start
            models.Index(fields=["person", "period_start"], name="award_person_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.rule.name} · {self.goal} ({self.status})"


class AwardEntry(models.Model):
    """A line of the award ledger: earned (+value), reversed (−value), or funded later (+value,
    when budget freed up for an award first recorded unfunded). Never changed once written."""

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        REVERSED = "reversed", _("Reversed")
        FUNDED = "funded", _("Funded")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField(help_text=_("1, 2, 3 … per award: the order of events."))
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = MoneyField(help_text=_("Signed: what this line adds to the award's value."))
    funded = models.BooleanField(help_text=_("Counts against the budget and is paid."))
    note = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["award", "seq"]
        verbose_name_plural = _("award entries")
        constraints = [
            # Two computations racing on one award cannot both append the same event.
            models.UniqueConstraint(fields=["award", "seq"], name="awardentry_seq_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["earned", "funded"], amount__gte=0)
                | Q(kind="reversed", amount__lte=0),
                name="awardentry_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="funded") | Q(funded=True), name="awardentry_funded_is_funded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id}#{self.seq} {self.kind} {self.amount}"
