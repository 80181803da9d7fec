"""The periodic scan: events no single write announces — a goal likely to be missed, a goal
still awaiting its rep's check-in, a reward earned (the worker computes awards), a
collective goal met. Run by ``pacesetter notify`` (cron, or ``--queue`` for the worker).

Idempotent: each event has a key (``at_risk:<goal>:<first day of the week>``,
``checkin:<goal>:<version>``, ``reward:<award>``, ``collective_met:<goal>``), so running it
twice, or every hour, tells nobody twice; a goal still at risk is announced again once a
week. A fixed number of queries whatever the number of goals and people: the goals, one
``goal_progress`` (one engine query per metric and period), the check-ins, the awards,
``collective_status``, and ``notify``'s few.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pacesetter import planning
from pacesetter.coaching.selectors import goals_awaiting_checkin
from pacesetter.goals.models import Goal
from pacesetter.notifications.models import Kind
from pacesetter.notifications.services import Event, notify
from pacesetter.notifications.sources import goal_params, link
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import WorkCalendar
from pacesetter.rewards.models import Award
from pacesetter.tracking.collective import collective_status, unit_goals_of_kind
from pacesetter.tracking.progress import GoalProgress, goal_progress
from pacesetter.tracking.risk import AT_RISK as RISKY
from pacesetter.tracking.risk import goal_risks
from pacesetter.tracking.selectors import goals_overlapping

REWARDS_LOOK_BACK = dt.timedelta(days=35)  # awards earned since: older ones were announced
COLLECTIVE_LOOK_BACK = dt.timedelta(days=7)  # goals ended since: met on their last day


def at_risk(goals: list[Goal], today: dt.date) -> list[GoalProgress]:
    """The goals that need a conversation: the team page's risk list (``tracking.risk``),
    so a notice and "Needs a conversation now" agree — a top-priority goal likely to be
    missed and still savable, judged on history; never a goal merely behind its pace early
    in a period or one without any history to judge it by."""
    risks = goal_risks(goal_progress(goals, today), today)
    return [r.progress for r in risks if r.verdict == RISKY]


def scan(today: dt.date) -> dict[str, Any]:
    """Announce what happened as of ``today``; how many new notices of each kind."""
    cal = work_calendar()
    own = list(
        goals_overlapping(today, today + dt.timedelta(days=1), ordered=False)
        .filter(person__isnull=False, kind=Goal.Kind.STANDARD)
        .select_related("person")
    )
    events = [
        *_at_risk_events(own, today, cal),
        *_checkin_events(own, cal),
        *_reward_events(cal),
        *_collective_events(today, cal),
    ]
    created = notify(events)
    counts = {kind: 0 for kind in Kind.values}
    for notice in created:
        counts[notice.kind] += 1
    return {"today": today.isoformat(), "created": counts}


def _at_risk_events(goals: list[Goal], today: dt.date, cal: WorkCalendar) -> list[Event]:
    week = planning.week_of(today, cal).start.isoformat()
    events: list[Event] = []
    for r in at_risk(goals, today):
        goal = r.goal
        assert goal.person_id is not None
        params = {**goal_params(goal, cal), "status": r.status,
                  "actual": str(r.actual or 0), "target": str(goal.target)}  # fmt: skip
        key = f"at_risk:{goal.pk}:{week}"
        events.append(
            Event(goal.person_id, Kind.AT_RISK, key, params, link("goal_detail", goal.pk))
        )
    return events


def _checkin_events(goals: list[Goal], cal: WorkCalendar) -> list[Event]:
    waiting = goals_awaiting_checkin(goals)
    return [
        Event(
            goal.person_id,
            Kind.CHECKIN_REQUESTED,
            f"checkin:{goal.pk}:{goal.version}",
            goal_params(goal, cal),
            link("goal_checkin", goal.pk),
        )
        for goal in goals
        if goal.pk in waiting and goal.person_id is not None
    ]


def _reward_events(cal: WorkCalendar) -> list[Event]:
    since = timezone.now() - REWARDS_LOOK_BACK
    awards = Award.objects.filter(status=Award.Status.EARNED, earned_at__gte=since).select_related(
        "rule__reward", "goal"
    )
    return [
        Event(
            award.person_id,
            Kind.REWARD_EARNED,
            f"reward:{award.pk}",
            {**goal_params(award.goal, cal), "reward": award.rule.reward.name},
            link("rewards"),
        )
        for award in awards
    ]


def _collective_events(today: dt.date, cal: WorkCalendar) -> list[Event]:
    goals = unit_goals_of_kind(
        Goal.Kind.COLLECTIVE, today - COLLECTIVE_LOOK_BACK, today + dt.timedelta(days=1)
    )
    events: list[Event] = []
    for status in collective_status(goals, today).values():
        if not status.met:
            continue
        goal = status.goal
        params = goal_params(goal, cal)
        url = link("unit_collective", status.unit.pk)
        events.extend(
            Event(m.person.pk, Kind.COLLECTIVE_MET, f"collective_met:{goal.pk}", params, url)
            for m in status.counted
        )
    return events
