"""Where notices come from: the events of the layers below, turned into ``services.Event``s.

* a goal's target changed (``goals.signals.goal_target_changed``, on commit): "goal changed"
  to the goal's rep (or, for a team's goal, to the team's reps), and "check-in requested"
  to the rep whose own goal it is; nobody is told of a change they made themselves;
* the periodic scan (``scan.scan``) finds goals at risk, goals still awaiting a check-in,
  rewards earned and collective goals met.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch, reverse

from pacesetter.goals.models import Goal, GoalChange
from pacesetter.notifications.models import Kind
from pacesetter.notifications.services import Event, notify
from pacesetter.org.models import Membership, Role
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.planning.calendar import WorkCalendar
from pacesetter.presentation import period_label


def link(name: str, *args: Any) -> str:
    """A page's path by its URL name ("" when the pages are not installed)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def goal_params(goal: Goal, cal: WorkCalendar) -> dict[str, Any]:
    """What names a goal in a notice, in every language."""
    params: dict[str, Any] = {
        "goal": goal.pk,
        "metric": goal.metric,
        "period": period_label(goal.period_kind, goal.period_start, goal.period_end, cal),
    }
    if goal.unit_id is not None and goal.unit is not None:
        params["unit"] = goal.unit.name
    return params


def goal_targets_changed(sender: Any, changes: list[tuple[int, int]], **kwargs: Any) -> None:
    """The receiver of ``goal_target_changed``: one batch of queries for all the changes."""
    pairs = {(int(goal_id), int(version)) for goal_id, version in changes}
    if not pairs:
        return
    rows = [
        row
        for row in GoalChange.objects.filter(
            goal_id__in={g for g, _v in pairs}, version__in={v for _g, v in pairs}
        ).select_related("goal__person", "goal__unit")
        if (row.goal_id, row.version) in pairs
    ]
    if not rows:
        return
    today = today_in_org()
    team_reps = _reps_of({r.goal.unit_id for r in rows if r.goal.unit_id}, today)
    cal = work_calendar()
    events: list[Event] = []
    for row in rows:
        events.extend(_change_events(row, team_reps, cal))
    notify(events)


def _reps_of(unit_ids: set[int], day: dt.date) -> dict[int, list[tuple[int, int | None]]]:
    """The reps in each unit on ``day``, as (person id, user id); one query."""
    if not unit_ids:
        return {}
    found: dict[int, list[tuple[int, int | None]]] = {}
    rows = (
        Membership.objects.filter(unit_id__in=unit_ids, person__roles__kind=Role.Kind.REP)
        .on(day)
        .values_list("unit_id", "person_id", "person__user_id")
        .distinct()
    )
    for unit_id, person_id, user_id in rows:
        found.setdefault(unit_id, []).append((person_id, user_id))
    return found


def _change_events(
    row: GoalChange, team_reps: dict[int, list[tuple[int, int | None]]], cal: WorkCalendar
) -> list[Event]:
    goal = row.goal
    params = {**goal_params(goal, cal), "old": str(row.old_target or 0), "new": str(row.new_target)}
    url = link("goal_detail", goal.pk)
    if goal.person is not None:
        if goal.person.user_id is not None and goal.person.user_id == row.changed_by_id:
            return []
        return [
            Event(goal.person.pk, Kind.GOAL_CHANGED, f"goal:{goal.pk}:{row.version}", params, url),
            Event(
                goal.person.pk,
                Kind.CHECKIN_REQUESTED,
                f"checkin:{goal.pk}:{row.version}",
                params,
                link("goal_checkin", goal.pk),
            ),
        ]
    return [
        Event(person_id, Kind.GOAL_CHANGED, f"goal:{goal.pk}:{row.version}", params, url)
        for person_id, user_id in team_reps.get(goal.unit_id or 0, [])
        if user_id is None or user_id != row.changed_by_id
    ]
