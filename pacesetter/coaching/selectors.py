"""Reads for coaching: goal check-ins over time, the goals that still wait for one, and
mentoring — who mentors whom, their notes, and the credit a mentor earns from mentees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from pacesetter import planning
from pacesetter.coaching.models import CheckIn, GoalAgreement, MentoringCheckIn, Mentorship
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.org.models import Person, Role
from pacesetter.tracking.progress import ACHIEVED, GoalProgress, goal_progress
from pacesetter.tracking.scorecard import Scorecard, scorecards


def checkins_of(person_ids: Iterable[int], limit: int = 200) -> QuerySet[CheckIn]:
    """The newest answers of these people first, with their goals (one query)."""
    return CheckIn.objects.filter(person_id__in=list(person_ids)).select_related("person", "goal")[
        :limit
    ]


def goals_awaiting_checkin(goals: Iterable[Goal]) -> set[int]:
    """Of ``goals``, the ids whose target was set or changed after the rep's last check-in
    on it (or that have none yet). One query."""
    ids = [g.pk for g in goals if g.person_id]
    if not ids:
        return set()
    last_checkin = (
        CheckIn.objects.filter(goal_id=OuterRef("goal_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    changed = (
        GoalChange.objects.filter(goal_id__in=ids)
        .values("goal_id")
        .annotate(last_change=Max("changed_at"), last_checkin=Subquery(last_checkin))
        .filter(Q(last_checkin__isnull=True) | Q(last_checkin__lt=Max("changed_at")))
    )
    return {row["goal_id"] for row in changed}


# --- mentoring (M8) -----------------------------------------------------------------------


@dataclass(frozen=True)
class MentorLink:
    """One mentor of one mentee today, with what its mentorship record adds (if any)."""

    mentor: Person
    mentee: Person
    since: dt.date | None  # unknown when the role was made outside Pacesetter's services
    focus: str = ""


def mentor_links(
    *, mentee_ids: Iterable[int] | None = None, mentor_ids: Iterable[int] | None = None
) -> list[MentorLink]:
    """Today's mentor roles — of these mentees, or of these mentors, or (both None) all —
    by mentee then mentor name. Two queries."""
    wanted = Role.objects.filter(kind=Role.Kind.MENTOR).select_related("person", "mentee")
    if mentee_ids is not None or mentor_ids is not None:
        wanted = wanted.filter(
            Q(mentee_id__in=list(mentee_ids or [])) | Q(person_id__in=list(mentor_ids or []))
        )
    roles = list(wanted.order_by("mentee__full_name", "person__full_name", "id"))
    open_records = {
        (m.mentor_id, m.mentee_id): m
        for m in Mentorship.objects.filter(
            ended_on__isnull=True, mentee_id__in={r.mentee_id for r in roles}
        )
    }
    links = []
    for role in roles:
        assert role.mentee is not None  # a mentor's role names its mentee (role_has_its_object)
        record = open_records.get((role.person_id, role.mentee.pk))
        links.append(
            MentorLink(
                mentor=role.person,
                mentee=role.mentee,
                since=record.started_on if record else None,
                focus=record.focus if record else "",
            )
        )
    return links


def mentor_counts(person_ids: Iterable[int]) -> dict[int, int]:
    """How many mentees each of these people mentors today (absent: none). One query."""
    rows = (
        Role.objects.filter(kind=Role.Kind.MENTOR, person_id__in=list(person_ids))
        .values_list("person_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def mentoring_checkins(
    *,
    mentee_ids: Iterable[int] | None = None,
    mentor_id: int | None = None,
    limit: int = 50,
) -> list[MentoringCheckIn]:
    """Mentoring notes, newest first: about these mentees, and/or written by this mentor
    (both given: that mentor's notes about those mentees). One query."""
    notes = MentoringCheckIn.objects.select_related("mentor", "mentee")
    if mentee_ids is not None:
        notes = notes.filter(mentee_id__in=list(mentee_ids))
    if mentor_id is not None:
        notes = notes.filter(mentor_id=mentor_id)
    return list(notes.order_by("-met_on", "-id")[:limit])


@dataclass(frozen=True)
class MentoringActivity:
    """That a pair talks, without what was said (what a manager sees)."""

    count: int
    last: dt.date | None


def mentoring_activity(
    pairs: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], MentoringActivity]:
    """Per (mentor id, mentee id): how many check-ins were logged and the last date. One query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = (
        MentoringCheckIn.objects.filter(
            mentor_id__in={m for m, _ in pairs}, mentee_id__in={e for _, e in pairs}
        )
        .values_list("mentor_id", "mentee_id")
        .annotate(n=Count("id"), last=Max("met_on"))
    )
    found = {(m, e): MentoringActivity(n, last) for m, e, n, last in rows if (m, e) in pairs}
    return {p: found.get(p, MentoringActivity(0, None)) for p in pairs}


class Span(Protocol):
    """Days ``[start, end)``: a ``metrics.engine.Window`` or a ``planning.Period``."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...


@dataclass(frozen=True)
class MenteeCredit:
    """What one mentee's development goals in a period earn their mentor's scorecard."""

    mentee: Person
    goals: tuple[GoalProgress, ...]  # the mentee's development goals, by period and priority
    met: int  # how many of them are achieved
    # goal id → the mentor it was agreed with, when recorded
    agreed_with: dict[int, int | None] = field(default_factory=dict, hash=False)

    @property
    def total(self) -> int:
        return len(self.goals)

    @property
    def progress_percent(self) -> Decimal | None:
        """The goals' mean attainment, each capped at 100 % (one goal beaten twice over
        does not make up for another not started); None without goals."""
        if not self.goals:
            return None
        capped = [min(Decimal(100), g.attainment or Decimal(0)) for g in self.goals]
        return (sum(capped, Decimal(0)) / len(capped)).quantize(Decimal("0.1"))


def mentee_ids_in(mentor_id: int, span: Span) -> set[int]:
    """Whom ``mentor_id`` mentored at some time during ``span``: mentorship records that
    overlap it, and mentor roles with no open record (made in the admin: no dates known,
    so they count as ongoing). Two queries."""
    return mentees_by_mentor([mentor_id], span).get(mentor_id, set())


def mentees_by_mentor(mentor_ids: Iterable[int], span: Span) -> dict[int, set[int]]:
    """``mentee_ids_in`` for many mentors at once: still two queries."""
    ids = list(mentor_ids)
    roles: dict[int, set[int]] = defaultdict(set)
    for mentor, mentee in Role.objects.filter(kind=Role.Kind.MENTOR, person_id__in=ids).values_list(
        "person_id", "mentee_id"
    ):
        roles[mentor].add(mentee)
    open_ids: dict[int, set[int]] = defaultdict(set)
    during: dict[int, set[int]] = defaultdict(set)
    for mentor, mentee, started, ended in Mentorship.objects.filter(mentor_id__in=ids).values_list(
        "mentor_id", "mentee_id", "started_on", "ended_on"
    ):
        if ended is None:
            open_ids[mentor].add(mentee)
        if started < span.end and (ended is None or ended > span.start):
            during[mentor].add(mentee)
    found = {m: during[m] | (roles[m] - open_ids[m]) for m in ids}
    return {m: mentees for m, mentees in found.items() if mentees}


def mentee_credit(mentor_id: int, window: Span, today: dt.date) -> list[MenteeCredit]:
    """For a mentor's scorecard: each mentee they mentored during ``window`` (a
    ``metrics.engine.Window`` or ``planning.Period``), with the progress on ``today`` of the
    mentee's development goals whose period overlaps the window, and how many are met.

    Mentees by name; a mentee without development goals in the window is listed with
    none (a mentor should see that nothing was agreed). A fixed number of queries however
    many mentees: the metric engine runs once per metric and period.
    """
    ids = mentee_ids_in(mentor_id, window)
    if not ids:
        return []
    mentees = list(Person.objects.filter(pk__in=ids).order_by("full_name", "pk"))
    goals = list(
        Goal.objects.filter(
            person_id__in=ids,
            kind=Goal.Kind.DEVELOPMENT,
            period_start__lt=window.end,
            period_end__gt=window.start,
        )
        .select_related("person")
        .order_by("period_start", "priority", "metric", "id")
    )
    agreed = dict(
        GoalAgreement.objects.filter(goal__in=[g.pk for g in goals]).values_list(
            "goal_id", "mentor_id"
        )
    )
    by_mentee: dict[int | None, list[GoalProgress]] = defaultdict(list)
    for result in goal_progress(goals, today):
        by_mentee[result.goal.person_id].append(result)
    return [
        MenteeCredit(
            mentee=m,
            goals=tuple(by_mentee.get(m.pk, ())),
            met=sum(r.status == ACHIEVED for r in by_mentee.get(m.pk, ())),
            agreed_with={r.goal.pk: agreed.get(r.goal.pk) for r in by_mentee.get(m.pk, ())},
        )
        for m in mentees
    ]


MENTORING_PRIORITY = 5  # after the rep's own quota goals, which carry priorities 1 to 4


def mentor_score_lines(
    mentor_ids: Iterable[int], span: Span, today: dt.date
) -> dict[int, list[planning.ScoreLine]]:
    """M8: a mentor's scorecard credits their mentees' progress — one line per mentee,
    worth the mentee's development goals' mean attainment (each capped at 100 %).

    A mentee with no development goal in the period is shown without being scored: the
    mentor should see that nothing was agreed, not be marked down for it. A fixed number of
    queries for any number of mentors: the mentorships, the goals, then the metric engine
    once per metric and period.
    """
    mentees = mentees_by_mentor(mentor_ids, span)
    if not mentees:
        return {}
    everyone = set().union(*mentees.values())
    names = dict(Person.objects.filter(pk__in=everyone).values_list("pk", "full_name"))
    goals = Goal.objects.filter(
        person_id__in=everyone,
        kind=Goal.Kind.DEVELOPMENT,
        period_start__lt=span.end,
        period_end__gt=span.start,
    ).order_by("period_start", "priority", "metric", "id")
    by_mentee: dict[int | None, list[GoalProgress]] = defaultdict(list)
    for result in goal_progress(list(goals), today):
        by_mentee[result.goal.person_id].append(result)
    lines: dict[int, list[planning.ScoreLine]] = {}
    for mentor, ids in mentees.items():
        for mentee in sorted(ids, key=lambda m: (names.get(m, ""), m)):
            credit = MenteeCredit(
                mentee=Person(pk=mentee, full_name=names.get(mentee, "")),
                goals=tuple(by_mentee.get(mentee, ())),
                met=sum(r.status == ACHIEVED for r in by_mentee.get(mentee, ())),
            )
            done = all(r.goal.period_end <= today for r in credit.goals)
            met = None
            if credit.goals and credit.met == credit.total:
                met = True
            elif credit.goals and done:
                met = False
            note = (
                planning.Explanation("mentee.met", {"met": credit.met, "total": credit.total})
                if credit.goals
                else planning.Explanation("mentee.none")
            )
            lines.setdefault(mentor, []).append(
                planning.ScoreLine(
                    key=("mentee", mentee),
                    label=planning.Explanation("mentee.line", {"name": credit.mentee.full_name}),
                    priority=MENTORING_PRIORITY,
                    attainment=credit.progress_percent,
                    met=met,
                    counts=bool(credit.goals),
                    note=note,
                )
            )
    return lines


def scorecards_with_mentees(
    person_ids: Iterable[int], period: planning.Period, today: dt.date, **options: bool
) -> dict[int, Scorecard]:
    """``tracking.scorecard.scorecards``, with each mentor credited for their mentees'
    development goals (M8, ``mentor_score_lines``): the scorecards users see."""
    ids = list(dict.fromkeys(person_ids))
    return scorecards(
        ids, period, today, extra_lines=mentor_score_lines(ids, period, today), **options
    )
