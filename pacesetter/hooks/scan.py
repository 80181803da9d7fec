"""The scan for webhook events no single write announces: goals met, goals at risk, rewards
earned, collective goals met. Run after each ledger change (``receivers.ledger_changed``
queues ``tasks.scan_task``) and by ``pacesetter webhooks scan`` (cron).

It reads what the notifications' scan reads (``pacesetter.notifications.scan``): today's own
goals and one ``goal_progress`` for all of them, the awards earned in the last weeks, the
collective goals that ended in the last week; each event has a key, so running it again
sends nothing twice. A fixed number of queries whatever the number of goals and people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.hooks import events
from pacesetter.hooks.models import Endpoint
from pacesetter.hooks.services import HookEvent, emit
from pacesetter.notifications.scan import COLLECTIVE_LOOK_BACK, REWARDS_LOOK_BACK
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import WorkCalendar
from pacesetter.rewards.models import Award
from pacesetter.tracking.collective import collective_status, unit_goals_of_kind
from pacesetter.tracking.progress import ACHIEVED, goal_progress
from pacesetter.tracking.risk import AT_RISK, goal_risks
from pacesetter.tracking.selectors import goals_overlapping


def scan(today: dt.date) -> dict[str, Any]:
    """Send what happened as of ``today``; how many new deliveries of each event type."""
    if not Endpoint.objects.filter(enabled=True).exists():
        return {"today": today.isoformat(), "deliveries": 0}
    cal = work_calendar()
    found = [*_goal_events(today, cal), *_reward_events(cal), *_collective_events(today, cal)]
    created = emit(found)
    counts: dict[str, int] = {}
    for delivery in created:
        counts[delivery.event_type] = counts.get(delivery.event_type, 0) + 1
    return {"today": today.isoformat(), "deliveries": len(created), "by_type": counts}


def _goal_events(today: dt.date, cal: WorkCalendar) -> list[HookEvent]:
    goals = (
        goals_overlapping(today, today + dt.timedelta(days=1), ordered=False)
        .filter(kind=Goal.Kind.STANDARD)
        .select_related("person", "unit")
    )
    week = planning.week_of(today, cal).start.isoformat()
    found: list[HookEvent] = []
    progress = goal_progress(list(goals), today)
    for p in progress:
        if p.status == ACHIEVED:
            found.append(events.goal_met(p, cal))
    # At risk: the team page's risk list, as the notifications' (``tracking.risk``).
    for risk in goal_risks(progress, today):
        if risk.verdict == AT_RISK:
            found.append(events.goal_at_risk(risk.progress, week, cal))
    return found


def _reward_events(cal: WorkCalendar) -> list[HookEvent]:
    since = timezone.now() - REWARDS_LOOK_BACK
    awards = Award.objects.filter(status=Award.Status.EARNED, earned_at__gte=since).select_related(
        "rule__reward", "goal__person", "goal__unit", "person"
    )
    return [events.reward_earned(award, cal) for award in awards]


def _collective_events(today: dt.date, cal: WorkCalendar) -> list[HookEvent]:
    goals = unit_goals_of_kind(
        Goal.Kind.COLLECTIVE, today - COLLECTIVE_LOOK_BACK, today + dt.timedelta(days=1)
    )
    return [
        events.collective_goal_met(status, cal)
        for status in collective_status(goals, today).values()
        if status.met
    ]
