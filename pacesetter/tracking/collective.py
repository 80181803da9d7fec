"""Collective goals (M9): a team's reward that pays only when every member meets their goal.

A collective goal is a ``Goal(kind="collective")`` of a unit, for a metric and a period. It is
met when every member of the unit met their *own* goal for the same metric and period (their
person goal of kind standard), so the team sees who is there and who still needs help.

Who counts, and why:

* **Members** are the people with the rep role who belonged to the unit (or a unit below it)
  on at least one day of the period, by membership history. Managers lead the team; they are
  not measured by it.
* **Joiners and movers** count with their own goal, whatever part of the period they spent in
  the team: the plan already prorated and ramp-adjusted that goal for the days they work, and
  the team had them for part of the period. A rep who moved from one team to another in
  mid-month therefore counts in both teams' collectives (with the same goal); each member
  carries the dates they were in the team so a report can say so.
* **Leavers**: a rep whose last day with the company falls before the period's last day and
  who did not meet their goal is excused automatically ("left the company on …"); one who met
  it before leaving still counts as met.
* **Exclusions** (``CollectiveExclusion``): a rep on leave is excused by an explicit rule, for
  one goal or for a team and dates; the report shows them with the rule's reason.
* **No goal set**: a member without their own goal blocks the collective — nobody can say
  they met it — and the report says so, so that the manager sets one.

``collective_status`` answers for any number of collective goals at once with a fixed number
of queries (the members, the goals, the exclusions, then ``goal_progress``'s one query per
metric and period), so a dashboard or a reward run never costs a query per goal or per rep.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pacesetter import planning
from pacesetter.explanations import show
from pacesetter.goals.models import CollectiveExclusion, Goal
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.org.selectors import subtrees
from pacesetter.planning.explain import Day, Items
from pacesetter.tracking.progress import ACHIEVED, GoalProgress, goal_progress

MET, SHORT, NO_GOAL, EXCLUDED = "met", "short", "no_goal", "excluded"
STATE_LABELS = {MET: "met", SHORT: "short", NO_GOAL: "no goal set", EXCLUDED: "excluded"}
# How a report lists members: who needs help first, then who blocks, then who is done.
STATE_ORDER = {SHORT: 0, NO_GOAL: 1, MET: 2, EXCLUDED: 3}


@dataclass(frozen=True)
class Stay:
    """A person's time in a unit during a period: ``[start, end)``, clipped to the period."""

    person: Person
    start: dt.date
    end: dt.date


@dataclass
class CollectiveMember:
    """One member of a collective goal's team and where they stand on their own goal."""

    person: Person
    goal: Goal | None  # their own goal for the metric and period; None: no goal set
    progress: GoalProgress | None
    met: bool
    excluded: bool = False
    exclusion_reason: str | planning.Explanation = ""
    # Set only for members who joined or left the team during the period:
    in_team_from: dt.date | None = None  # their first day in the team, after the start
    in_team_until: dt.date | None = None  # their first day out of it, before the end

    @property
    def state(self) -> str:
        """met, short, no_goal or excluded (an exclusion wins: the rule is explicit)."""
        if self.excluded:
            return EXCLUDED
        if self.goal is None:
            return NO_GOAL
        return MET if self.met else SHORT

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def short_by(self) -> Decimal | None:
        """How far the member is from their target (0 once there, or while a lower-is-better
        goal is still within its limit); None without a goal."""
        if self.progress is None:
            return None
        p = self.progress
        actual = p.actual or Decimal(0)
        if p.metric.lower_is_better:
            return max(Decimal(0), actual - p.target) if p.actual is not None else None
        return max(Decimal(0), p.target - actual)

    @property
    def needed_per_day(self) -> Decimal | None:
        """What the member still needs per remaining working day (counts and sums only)."""
        return None if self.progress is None or self.met else self.progress.needed_per_day

    @property
    def note(self) -> str:
        """When the member joined or left the team within the period, if they did."""
        parts = []
        if self.in_team_from:
            parts.append(f"in the team from {self.in_team_from:%d %b}")
        if self.in_team_until:
            last = self.in_team_until - dt.timedelta(days=1)
            parts.append(f"in the team until {last:%d %b}")
        return "; ".join(parts)


@dataclass
class CollectiveStatus:
    """Whether a collective goal is met, member by member, with the team's totals beside it."""

    goal: Goal
    met: bool
    members: list[CollectiveMember] = field(default_factory=list)
    # The collective goal measured as a unit goal: the members' sum against its own target.
    team_total: GoalProgress | None = None
    # The unit's standard goal for the same metric and period, when it has one.
    team_goal: GoalProgress | None = None

    @property
    def unit(self) -> Unit:
        """The team whose goal it is."""
        assert self.goal.unit is not None  # a collective goal is a unit's
        return self.goal.unit

    @property
    def counted(self) -> list[CollectiveMember]:
        return [m for m in self.members if not m.excluded]

    @property
    def met_count(self) -> int:
        return sum(m.state == MET for m in self.members)

    @property
    def short_count(self) -> int:
        return sum(m.state == SHORT for m in self.members)

    @property
    def no_goal_count(self) -> int:
        return sum(m.state == NO_GOAL for m in self.members)

    @property
    def excluded_count(self) -> int:
        return sum(m.state == EXCLUDED for m in self.members)

    @property
    def blockers(self) -> list[CollectiveMember]:
        """The counted members who have not met their goal yet (short, or without a goal)."""
        return [m for m in self.members if m.state in (SHORT, NO_GOAL)]

    @property
    def summary(self) -> str:
        """One line for a report, in the reader's language: "met: all 4 members" or "2 of 5
        met; 2 short; 1 no goal set"."""
        counted = len(self.counted)
        if not counted:
            if self.members:
                return _("nobody to count: every member is excluded")
            return _("no members")
        if self.met:
            parts = [ngettext("met: all %(count)s member", "met: all %(count)s members", counted)
                     % {"count": counted}]  # fmt: skip
        else:
            parts = [_("%(met)s of %(count)s met") % {"met": self.met_count, "count": counted}]
            if self.short_count:
                parts.append(_("%(count)s short") % {"count": self.short_count})
            if self.no_goal_count:
                parts.append(_("%(count)s no goal set") % {"count": self.no_goal_count})
        if self.excluded_count:
            parts.append(_("%(count)s excluded") % {"count": self.excluded_count})
        return show(Items(tuple(parts), "semicolon"))


def collective_status(goals: Iterable[Goal], today: dt.date) -> dict[int, CollectiveStatus]:
    """The status of each unit goal given (person goals are skipped), keyed by goal id.

    A fixed number of queries for any number of goals: the unit tree, the members, the goals,
    the exclusions, then one ``goal_progress`` for every member's goal and the team totals.
    """
    goals = [g for g in goals if g.unit_id is not None]
    if not goals:
        return {}
    _attach_units(goals)
    stays = reps_by_goal(goals)
    people = {s.person.pk: s.person for found in stays.values() for s in found}
    own, team_goals = _matching_goals(goals, people)
    excused = _exclusions(goals, stays)

    progress_of = {
        r.goal.pk: r for r in goal_progress([*own.values(), *goals, *team_goals.values()], today)
    }
    results: dict[int, CollectiveStatus] = {}
    for goal in goals:
        members = []
        for stay in stays[goal.pk]:
            person = stay.person
            mine = own.get((person.pk, *_slot(goal)))
            progress = progress_of.get(mine.pk) if mine else None
            met = progress is not None and progress.status == ACHIEVED
            reason = excused.get((goal.pk, person.pk), "")
            if not reason and not met and _left_before_the_end(person, goal):
                assert person.leave_date is not None  # (they left before the end)
                reason = planning.Explanation(
                    "collective.left_company", {"day": Day(person.leave_date, "day_month_year")}
                )
            members.append(
                CollectiveMember(
                    person=person,
                    goal=mine,
                    progress=progress,
                    met=met,
                    excluded=bool(reason),
                    exclusion_reason=reason,
                    in_team_from=stay.start if stay.start > goal.period_start else None,
                    in_team_until=stay.end if stay.end < goal.period_end else None,
                )
            )
        members.sort(key=_member_order)
        counted = [m for m in members if not m.excluded]
        team_goal = team_goals.get((goal.unit_id, *_slot(goal)))
        results[goal.pk] = CollectiveStatus(
            goal=goal,
            met=bool(counted) and all(m.met for m in counted),
            members=members,
            team_total=progress_of.get(goal.pk),
            team_goal=progress_of.get(team_goal.pk) if team_goal else None,
        )
    return results


def _unit_id(goal: Goal) -> int:
    """The unit of a unit goal (the only goals with members)."""
    assert goal.unit_id is not None
    return goal.unit_id


def reps_by_goal(goals: list[Goal]) -> dict[int, list[Stay]]:
    """For each unit goal, the reps who belonged to its unit (or one below it) on a day of
    its period, each with the part of the period they were there, by name.

    Two queries for any number of goals: the unit tree and the reps' memberships.
    """
    below = subtrees({_unit_id(g) for g in goals})
    every_unit = set().union(*below.values())
    start, end = min(g.period_start for g in goals), max(g.period_end for g in goals)
    memberships = list(
        Membership.objects.filter(unit_id__in=every_unit, person__roles__kind=Role.Kind.REP)
        .overlapping(start, end)
        .select_related("person")
    )
    found: dict[int, list[Stay]] = {}
    for goal in goals:
        spans: dict[int, Stay] = {}
        for m in memberships:
            if m.unit_id not in below[_unit_id(goal)]:
                continue
            lo = max(m.valid_from, goal.period_start)
            hi = min(m.valid_to or goal.period_end, goal.period_end)
            if lo >= hi:
                continue
            # Two stays in the same subtree (a move between two of its teams) make one.
            seen = spans.get(m.person_id)
            if seen is not None:
                lo, hi = min(lo, seen.start), max(hi, seen.end)
            spans[m.person_id] = Stay(m.person, lo, hi)
        found[goal.pk] = sorted(spans.values(), key=lambda s: (s.person.full_name, s.person.pk))
    return found


def _slot(goal: Goal) -> tuple[str, str, dt.date, dt.date]:
    return (goal.metric, goal.period_kind, goal.period_start, goal.period_end)


def _attach_units(goals: list[Goal]) -> None:
    """Load the goals' units in one query (reports name them) unless the caller did."""
    missing = {g.unit_id for g in goals if not Goal.unit.is_cached(g)}
    if missing:
        units = Unit.objects.in_bulk(missing)
        for g in goals:
            if g.unit_id in missing:
                g.unit = units[g.unit_id]


def _matching_goals(
    goals: list[Goal], people: dict[int, Person]
) -> tuple[dict[tuple, Goal], dict[tuple, Goal]]:
    """The members' own standard goals and the units' standard goals for the same metrics
    and periods as the collective goals (one query), keyed by (assignee id, *slot)."""
    slots = {_slot(g) for g in goals}
    rows = Goal.objects.filter(
        Q(person_id__in=list(people)) | Q(unit_id__in={g.unit_id for g in goals}),
        kind=Goal.Kind.STANDARD,
        metric__in={g.metric for g in goals},
        period_start__in={g.period_start for g in goals},
    )
    own: dict[tuple, Goal] = {}
    team: dict[tuple, Goal] = {}
    for row in rows:
        if _slot(row) not in slots:
            continue
        if row.person_id is not None:
            row.person = people[row.person_id]  # already loaded: no query per goal later
            own[(row.person_id, *_slot(row))] = row
        else:
            team[(row.unit_id, *_slot(row))] = row
    return own, team


def _exclusions(
    goals: list[Goal], stays: dict[int, list[Stay]]
) -> dict[tuple[int, int], str | planning.Explanation]:
    """(goal id, person id) → reason, from rules for a goal or for a team and dates."""
    start, end = min(g.period_start for g in goals), max(g.period_end for g in goals)
    rules = CollectiveExclusion.objects.filter(
        Q(goal_id__in=[g.pk for g in goals])
        | Q(
            unit_id__in={g.unit_id for g in goals},
            period_start__lt=end,
            period_end__gt=start,
        )
    ).values("goal_id", "unit_id", "period_start", "period_end", "person_id", "reason")
    by_goal: dict[int, dict[int, str]] = defaultdict(dict)
    by_unit: dict[int, list[dict]] = defaultdict(list)
    for rule in rules:
        if rule["goal_id"] is not None:
            by_goal[rule["goal_id"]][rule["person_id"]] = rule["reason"]
        else:
            by_unit[rule["unit_id"]].append(rule)
    found: dict[tuple[int, int], str | planning.Explanation] = {}
    for goal in goals:
        members = {s.person.pk for s in stays[goal.pk]}
        for team_rule in by_unit.get(_unit_id(goal), ()):
            overlaps = (
                team_rule["period_start"] < goal.period_end
                and team_rule["period_end"] > goal.period_start
            )
            if overlaps and team_rule["person_id"] in members:
                last = team_rule["period_end"] - dt.timedelta(days=1)
                found[(goal.pk, team_rule["person_id"])] = planning.Explanation(
                    "collective.excused",
                    {"reason": team_rule["reason"],
                     "start": Day(team_rule["period_start"], "day_month"),
                     "end": Day(last, "day_month_year")},
                )  # fmt: skip
        for person_id, reason in by_goal.get(goal.pk, {}).items():
            found[(goal.pk, person_id)] = reason
    return found


def _left_before_the_end(person: Person, goal: Goal) -> bool:
    last_day = goal.period_end - dt.timedelta(days=1)
    return person.leave_date is not None and person.leave_date < last_day


def _member_order(m: CollectiveMember) -> tuple:
    attainment = m.progress.attainment if m.progress and m.progress.attainment is not None else 0
    return (STATE_ORDER[m.state], attainment, m.person.full_name)


@transaction.atomic
def collective_exclusion_create(
    *, goal: Goal, person: Person, reason: str, by: User | None = None
) -> CollectiveExclusion:
    """Excuse ``person`` from the collective ``goal`` (on leave, say), for everyone to see.

    Refuses a goal that is not a unit's collective goal, a person who is not one of its
    members, an empty reason, and a second rule for the same person and goal.
    """
    reason = reason.strip()
    if goal.unit_id is None or goal.kind != Goal.Kind.COLLECTIVE:
        raise ValidationError(_("Only a team's collective goal has members to excuse."))
    if not reason:
        raise ValidationError(_("Say why the member is excused: the team sees the reason."))
    limit = CollectiveExclusion._meta.get_field("reason").max_length or 0
    if len(reason) > limit:
        raise ValidationError(
            _("Say why in at most %(max)s characters (this is %(length)s).")
            % {"max": limit, "length": f"{len(reason):,}"}
        )
    members = {s.person.pk for s in reps_by_goal([goal])[goal.pk]}
    if person.pk not in members:
        raise ValidationError(
            _("%(person)s is not a member of this collective goal's team.") % {"person": person}
        )
    if CollectiveExclusion.objects.filter(goal=goal, person=person).exists():
        raise ValidationError(
            _("%(person)s is already excused from this goal.") % {"person": person}
        )
    return CollectiveExclusion.objects.create(
        goal=goal, person=person, reason=reason, created_by=by
    )


def unit_goals_of_kind(
    kind: str, start: dt.date, end: dt.date, *, unit_id: int | None = None
) -> list[Goal]:
    """The unit goals of ``kind`` whose period shares a day with ``[start, end)`` — of the
    unit and every unit below it when ``unit_id`` is given — by unit name, then period."""
    goals = Goal.objects.filter(
        kind=kind, unit__isnull=False, period_start__lt=end, period_end__gt=start
    ).select_related("unit")
    if unit_id is not None:
        goals = goals.filter(unit_id__in=subtrees([unit_id])[unit_id])
    return list(goals.order_by("unit__name", "period_start", "priority", "metric", "id"))
