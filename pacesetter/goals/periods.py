"""Closed periods are frozen: a goal whose period has ended keeps its target.

A period has ended when its end (the first day after it) is today or earlier, in the org's
days. Nothing changes such a goal — a plan's activation, an edit, a re-derived waterfall or
stretch tier, a workbook's quotas — unless an admin has re-opened a period that covers the
goal's whole period (``PeriodReopening``, with the reason); closing that reopening freezes
it again. New goals may still be created in an ended period when none exists (a plan
activated late fills its missing months; it overwrites nothing).

The rewards of a period are computed from its goals; freezing the goals once the period has
ended keeps the rewards computed on them true.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.goals.access import visible_scope
from pacesetter.goals.errors import GoalError, PeriodClosed
from pacesetter.goals.models import Goal, PeriodReopening
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.presentation import period_label


class Freezer:
    """Which periods are frozen on ``today`` (the open reopenings are read once)."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or today_in_org()
        self.reopened = [
            (r.period_start, r.period_end)
            for r in PeriodReopening.objects.filter(closed_at__isnull=True)
        ]

    def ended(self, end: dt.date) -> bool:
        return end <= self.today

    def frozen(self, start: dt.date, end: dt.date) -> bool:
        """Whether ``[start, end)`` has ended and no open reopening covers all of it."""
        if not self.ended(end):
            return False
        return not any(s <= start and end <= e for s, e in self.reopened)

    def reopened_period(self, start: dt.date, end: dt.date) -> bool:
        """Whether ``[start, end)`` has ended but is re-opened."""
        return self.ended(end) and not self.frozen(start, end)

    def check(self, kind: str, start: dt.date, end: dt.date) -> None:
        """Raise ``PeriodClosed`` if the period is frozen."""
        if self.frozen(start, end):
            raise PeriodClosed(period_label(kind, start, end, work_calendar()))

    def check_goal(self, goal: Goal) -> None:
        self.check(goal.period_kind, goal.period_start, goal.period_end)


def check_goals(goals: Iterable[Goal], today: dt.date | None = None) -> None:
    """Raise ``PeriodClosed`` for the first goal of ``goals`` whose period is frozen."""
    freezer = Freezer(today)
    for goal in goals:
        freezer.check_goal(goal)


def _require_admin(by: User | None, today: dt.date) -> None:
    if by is not None and not visible_scope(by, today).is_admin:
        raise GoalError(_("Only an admin may re-open or close a period."))


@transaction.atomic
def period_reopen(
    *, period: planning.Period, reason: str, by: User | None, today: dt.date | None = None
) -> PeriodReopening:
    """Re-open an ended ``period`` so that its goals may change again, with the reason."""
    today = today or today_in_org()
    _require_admin(by, today)
    reason = reason.strip()
    if not reason:
        raise GoalError(_("Say why the period is re-opened: the reason is kept."))
    if period.end > today:
        raise GoalError(
            _("%(period)s has not ended: its goals can be changed already.")
            % {"period": period.label}
        )
    return PeriodReopening.objects.create(
        period_start=period.start, period_end=period.end, reason=reason[:300], reopened_by=by
    )


@transaction.atomic
def period_close(
    *, reopening: PeriodReopening, by: User | None, today: dt.date | None = None
) -> PeriodReopening:
    """Freeze a re-opened period again (the reopening stays, with when and by whom)."""
    _require_admin(by, today or today_in_org())
    updated = PeriodReopening.objects.filter(pk=reopening.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=by
    )
    if not updated:
        raise GoalError(_("That period is closed already."))
    reopening.refresh_from_db()
    return reopening
