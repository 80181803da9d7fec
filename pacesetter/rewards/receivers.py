"""Earned rewards follow the ledger: when an import or a week's numbers commit, the awards
of the months that may have moved are brought up to date (idempotent: nothing is paid
twice; a correction reverses or adds an award with its reason).

``recompute_awards`` (the receiver of ``ledger.signals.ledger_changed``) only queues the work
(``rewards.tasks.recompute_awards_task``, run by the worker); the same months already
waiting are not queued twice. ``awards_follow_ledger`` does it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pacesetter import planning
from pacesetter.org.selectors import today_in_org
from pacesetter.planning.calendar import add_months
from pacesetter.rewards.models import Rule
from pacesetter.rewards.services import awards_compute


def recompute_awards(sender: Any, months: list[dt.date] | None = None, **kwargs: Any) -> None:
    """Queue the recompute of ``months`` (default: this month and the last one)."""
    from pacesetter.jobs.services import job_enqueue
    from pacesetter.rewards.tasks import recompute_awards_task

    if not Rule.objects.filter(status=Rule.Status.ACTIVE).exists():
        return
    chosen = None if months is None else sorted({m.replace(day=1).isoformat() for m in months})
    job_enqueue(
        task=recompute_awards_task,
        kind="awards",
        arguments={"months": chosen},
        key=f"awards:{','.join(chosen) if chosen is not None else 'recent'}",
    )


def awards_follow_ledger(months: list[dt.date] | None = None) -> int:
    """Recompute the awards of ``months`` (default: this month and the last one, where
    late corrections land), never of months that have not begun. Returns how many months."""
    if not Rule.objects.filter(status=Rule.Status.ACTIVE).exists():
        return 0
    today = today_in_org()
    this_month = today.replace(day=1)
    wanted = months if months is not None else [add_months(this_month, -1), this_month]
    done = 0
    for first in sorted({m.replace(day=1) for m in wanted}):
        if first <= this_month:
            awards_compute(period=planning.month_period(first.year, first.month), today=today)
            done += 1
    return done
