"""Why a goal cannot be written as asked: each error says it in the reader's language (the
language active when it is raised), for the page, and in English for the CLI.

* ``GoalError``: the base (a goal for nobody, a stretch without a goal to stretch, …).
* ``PeriodClosed``: the goal's period has ended and no admin has re-opened it.
* ``GoalExists``: a goal of that metric, period and kind exists: change it instead.
* ``StaleGoal``: someone changed the goal since the version the edit was based on.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from pacesetter.explanations import read_stored
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import work_calendar
from pacesetter.presentation import METRIC_LABELS, currency_symbol, metric_value, period_label


class GoalError(ValueError):
    """A goal that cannot be set as asked (the message says why, for the page)."""


def goal_period_label(goal: Goal) -> str:
    """The goal's period as people name it: 2026-08, 2026-W33, 2026-Q3."""
    return period_label(goal.period_kind, goal.period_start, goal.period_end, work_calendar())


def metric_name(metric: str) -> str:
    """A metric's label in the reader's language (its name when it has none)."""
    label = METRIC_LABELS.get(metric)
    return metric if label is None else str(label)


def target_text(metric: str, value: Decimal | None) -> str:
    """A target in its metric's unit: ``$15,994.03``, ``12``."""
    unit = Metric.objects.filter(name=metric).values_list("unit", flat=True).first()
    symbol = currency_symbol(OrgSettings.load().currency)
    return metric_value(value, unit or Metric.Unit.COUNT, symbol)


def owner_name(goal: Goal) -> str:
    who = goal.person if goal.person_id else goal.unit
    return str(who)


class PeriodClosed(GoalError):
    """The period has ended: its goals are frozen until an admin re-opens it."""

    def __init__(self, label: str) -> None:
        self.label = label
        super().__init__(
            _(
                "%(period)s has ended, so its goals are frozen: nothing changed. An admin can "
                "re-open the period, with a reason, to change them."
            )
            % {"period": label}
        )


class GoalExists(GoalError):
    """The goal asked for exists already; the page offers to change it instead."""

    def __init__(self, goal: Goal) -> None:
        self.goal = goal
        super().__init__(
            _(
                "%(who)s already has a goal of %(metric)s in %(period)s (target %(target)s). "
                "Nothing was overwritten: change that goal instead, with the reason for its "
                "history."
            )
            % {
                "who": owner_name(goal),
                "metric": metric_name(goal.metric),
                "period": goal_period_label(goal),
                "target": target_text(goal.metric, goal.target),
            }
        )


class StaleGoal(GoalError):
    """The goal changed since the version an edit was based on: the edit is refused, and
    the message says what changed meanwhile."""

    def __init__(self, goal: Goal, based_on: int, changes: Sequence[GoalChange]) -> None:
        self.goal, self.based_on, self.changes = goal, based_on, list(changes)
        zone = OrgSettings.load().zone
        lines = [
            _("%(when)s, %(who)s: %(old)s → %(new)s (%(reason)s)")
            % {
                "when": timezone.localtime(c.changed_at, zone).strftime("%Y-%m-%d %H:%M"),
                "who": c.changed_by.get_username() if c.changed_by else "—",
                "old": target_text(goal.metric, c.old_target),
                "new": target_text(goal.metric, c.new_target),
                "reason": read_stored(c.reason) or "—",
            }
            for c in self.changes
        ]
        message = _(
            "Someone changed this goal while you were editing it (version %(based_on)d, now "
            "%(version)d): the target is now %(target)s, priority %(priority)d. Your change "
            "was not saved; check it and save again."
        ) % {
            "based_on": based_on,
            "version": goal.version,
            "target": target_text(goal.metric, goal.target),
            "priority": goal.priority,
        }
        if lines:
            message += " " + _("Changed meanwhile: %(changes)s") % {"changes": "; ".join(lines)}
        super().__init__(message)
