"""Which goals a rule applies to, and whether each (rule, person, goal) has earned — now.

When a reward is earned:

* **goal met / stretch tier met**: as soon as the goal's progress is *achieved*. For counts
  and sums that is the moment the actual reaches the target (it only moves down again when
  the data is corrected); for rates, medians and lower-is-better metrics it is only once the
  period is over (see ``metrics.progress``).
* **competition won**: once the competition's period is over; the top N of its standings
  win, and everyone tied within the top N wins too ("tied for 1st").
* **collective goal met**: once the period is over, so that the team's membership for the
  period is settled; then every counted (not excluded) member earns it, or nobody does.

A personal goal with a zero target (a new hire's first month, a rep who left) earns nothing:
it is met without selling anything.

A rule that requires the top-priority goals adds a condition: the person's goals of the same
period (same first and last day) with the lowest priority number must all be achieved.

Everything is read in a fixed number of queries per metric and period (and one standings
query per competition goal), whatever the number of reps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import translation

from pacesetter import explanations
from pacesetter.explanations import english
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, Person
from pacesetter.org.selectors import subtrees
from pacesetter.planning.explain import Explanation, Items, Term
from pacesetter.presentation import plain
from pacesetter.rewards.models import Rule
from pacesetter.tracking.collective import collective_status
from pacesetter.tracking.leaderboard import competition_standings
from pacesetter.tracking.progress import ACHIEVED, GoalProgress, goal_progress

Trigger = Rule.Trigger

GOAL_KINDS: dict[str, tuple[str, ...]] = {
    Trigger.GOAL_MET: (Goal.Kind.STANDARD, Goal.Kind.WATERFALL),
    Trigger.STRETCH_MET: (Goal.Kind.STRETCH,),
    Trigger.COMPETITION_WON: (Goal.Kind.COMPETITION,),
    Trigger.COLLECTIVE_MET: (Goal.Kind.COLLECTIVE,),
}
PERSONAL = (Trigger.GOAL_MET, Trigger.STRETCH_MET)

Key = tuple[int, int, int]  # rule, person, goal


@dataclass(frozen=True)
class Verdict:
    """Whether ``person`` has earned ``rule``'s reward for ``goal``, and why (or why not)."""

    rule: Rule
    person: Person
    goal: Goal
    earned: bool
    detail: str  # in English, as awards store it (``explanations.read_stored`` translates)

    @property
    def key(self) -> Key:
        return (self.rule.pk, self.person.pk, self.goal.pk)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    return english(explanations.ordinal(n))


def goal_label(goal: Goal) -> Explanation:
    """A goal as the reports name it: "revenue_won 2026-11", "meetings_booked 2026-11 (Team
    Alpha)", "revenue_won stretch tier 2026-11", "demos_held 2026-11-02–2026-11-09"."""
    span = f"{goal.period_start:%Y-%m-%d}–{goal.period_end:%Y-%m-%d}"
    if goal.period_kind == "month":
        span = f"{goal.period_start:%Y-%m}"
    code = "award.stretch_goal" if goal.kind == Goal.Kind.STRETCH else "award.goal"
    params = {"metric": goal.metric, "span": span}
    if goal.unit is not None:
        return Explanation(f"{code}_of", {**params, "unit": goal.unit.name})
    return Explanation(code, params)


def matching_goals(rules: Sequence[Rule], goals: QuerySet[Goal]) -> dict[int, list[Goal]]:
    """For each rule, the goals of ``goals`` it applies to: the right kind, metric and period
    kind, within the program's dates, and for a person (or a unit) inside the program's unit.

    Three queries: the goals, the unit tree, the memberships that decide who is inside."""
    if not rules:
        return {}
    kinds = {k for r in rules for k in GOAL_KINDS[r.trigger]}
    candidates = list(goals.filter(kind__in=kinds).select_related("person", "unit"))
    scoped_units = {r.program.unit_id for r in rules if r.program.unit_id}
    trees = subtrees(scoped_units) if scoped_units else {}
    # Who was in which scoped unit when: one query for every personal goal of every rule.
    stays: dict[int | None, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    all_units = set().union(set(), *trees.values())
    people = {g.person_id for g in candidates if g.person_id}
    if all_units and people:
        for person_id, unit_id, start, end in Membership.objects.filter(
            unit_id__in=all_units, person_id__in=people
        ).values_list("person_id", "unit_id", "valid_from", "valid_to"):
            stays[person_id].append((unit_id, start, end))

    def inside(goal: Goal, unit_id: int | None) -> bool:
        if unit_id is None:
            return True
        tree = trees[unit_id]
        if goal.unit_id:
            return goal.unit_id in tree
        return any(
            u in tree and start < goal.period_end and (end is None or end > goal.period_start)
            for u, start, end in stays.get(goal.person_id, ())
        )

    result: dict[int, list[Goal]] = {}
    for rule in rules:
        program = rule.program
        personal = rule.trigger in PERSONAL
        result[rule.pk] = [
            g
            for g in candidates
            if g.kind in GOAL_KINDS[rule.trigger]
            and (g.person_id is not None) == personal
            and (g.target > 0 or not personal)
            and (not rule.metric or g.metric == rule.metric)
            and (not rule.period_kind or g.period_kind == rule.period_kind)
            and program.starts_on <= g.period_start
            and (program.ends_on is None or g.period_start < program.ends_on)
            and inside(g, program.unit_id)
        ]
    return result


@dataclass
class _Candidate:
    rule: Rule
    person: Person
    goal: Goal
    earned: bool
    detail: Explanation | None


def evaluate(rules: Sequence[Rule], goals: QuerySet[Goal], today: dt.date) -> list[Verdict]:
    """A verdict for every (rule, person, goal) that ``rules`` could pay for among ``goals``,
    as of ``today`` (in the org's zone). The details are in English, whoever asks: they
    are stored."""
    with translation.override("en"):
        return _evaluate(rules, goals, today)


def _evaluate(rules: Sequence[Rule], goals: QuerySet[Goal], today: dt.date) -> list[Verdict]:
    matches = matching_goals(rules, goals)
    candidates: list[_Candidate] = []
    personal_goals: list[Goal] = []
    for rule in rules:
        ended = [g for g in matches.get(rule.pk, []) if g.period_end <= today]
        if rule.trigger in PERSONAL:
            personal_goals.extend(matches.get(rule.pk, []))
            candidates.extend(
                _Candidate(rule, g.person, g, False, None)
                for g in matches.get(rule.pk, [])
                if g.person is not None  # all of them: personal rules match people's goals
            )
        elif rule.trigger == Trigger.COMPETITION_WON:
            candidates.extend(_competition(rule, ended, today))
    collective_rules = [r for r in rules if r.trigger == Trigger.COLLECTIVE_MET]
    if collective_rules:
        candidates.extend(_collectives(collective_rules, matches, today))

    tops = _top_priority_goals(
        {
            (c.person.pk, c.goal.period_start, c.goal.period_end)
            for c in candidates
            if c.rule.requires_top_priority
        }
    )
    to_measure = {g.pk: g for g in personal_goals}
    for group in tops.values():
        to_measure.update((g.pk, g) for g in group)
    progress = {p.goal.pk: p for p in goal_progress(to_measure.values(), today)}

    verdicts = []
    for c in candidates:
        earned, detail = c.earned, c.detail
        if c.rule.trigger in PERSONAL:
            earned, detail = _met(progress[c.goal.pk])
        if earned and c.rule.requires_top_priority:
            group = tops.get((c.person.pk, c.goal.period_start, c.goal.period_end), [])
            missed = [g for g in group if progress[g.pk].status != ACHIEVED]
            if missed:
                earned = False
                goals_missed = tuple(
                    Explanation(
                        "award.top_missed_goal",
                        {"goal": goal_label(g), "actual": progress[g.pk].actual_text,
                         "target": progress[g.pk].target_text},
                    )
                    for g in missed
                )  # fmt: skip
                detail = Explanation(
                    "award.top_missed", {"goals": Items(goals_missed, "semicolon")}
                )
            else:
                detail = Explanation("award.top_met", {"detail": detail})
        text = english(detail) if detail is not None else ""
        verdicts.append(Verdict(c.rule, c.person, c.goal, earned, text))
    return verdicts


def _met(progress: GoalProgress) -> tuple[bool, Explanation]:
    shown = {"actual": progress.actual_text, "target": progress.target_text}
    if progress.attainment is None:
        numbers = Explanation("award.numbers", shown)
    else:
        numbers = Explanation(
            "award.numbers_percent", {**shown, "attainment": f"{progress.attainment}"}
        )
    label = goal_label(progress.goal)
    if progress.status == ACHIEVED:
        return True, Explanation("award.met", {"goal": label, "numbers": numbers})
    status = Term("status", progress.status)
    return False, Explanation(
        "award.not_met", {"goal": label, "numbers": numbers, "status": status}
    )


def _top_priority_goals(
    pairs: set[tuple[int, dt.date, dt.date]],
) -> dict[tuple[int, dt.date, dt.date], list[Goal]]:
    """The goals with the lowest priority number of each (person, period) — one query."""
    if not pairs:
        return {}
    found: dict[tuple[int, dt.date, dt.date], list[Goal]] = defaultdict(list)
    query = Q()
    for start in {p[1] for p in pairs}:
        query |= Q(period_start=start, person_id__in={p[0] for p in pairs if p[1] == start})
    for goal in Goal.objects.filter(query).select_related("person", "unit"):
        if goal.person_id is None:
            continue  # none: the query asks for people's goals
        key = (goal.person_id, goal.period_start, goal.period_end)
        if key in pairs:
            found[key].append(goal)
    result = {}
    for key, group in found.items():
        best = min(g.priority for g in group)
        result[key] = [g for g in group if g.priority == best]
    return result


def _competition(rule: Rule, goals: Iterable[Goal], today: dt.date) -> list[_Candidate]:
    candidates = []
    goals = list(goals)
    lower_names = _lower_is_better({g.metric for g in goals})
    for goal in goals:
        standings = competition_standings(goal, today, basis=rule.rank_by)
        lower = goal.metric in lower_names
        field = len(standings)
        for s in standings:
            # Nobody wins with nothing: no goal to be a percent of, or no meetings at all.
            if rule.rank_by == Rule.RankBy.PERCENT:
                has_value = s.percent is not None and s.percent > 0
            else:
                has_value = s.value is not None and (lower or s.value > 0)
            place = Explanation(
                "award.place_tied" if s.tied else "award.place",
                {"rank": explanations.ordinal(s.rank), "field": field},
            )
            cohort = getattr(s, "cohort", "")
            params: dict[str, object] = {"place": place, "goal": goal_label(goal)}
            if cohort:
                params["cohort"] = cohort
            if has_value and s.rank <= rule.top_n:
                code = "award.won_cohort" if cohort else "award.won"
                detail = Explanation(code, {**params, "value": plain(s.value)})
                candidates.append(_Candidate(rule, s.person, goal, True, detail))
            else:
                why = (
                    Explanation("award.no_result")
                    if not has_value
                    else Explanation("award.top_n", {"n": rule.top_n})
                )
                code = "award.lost_cohort" if cohort else "award.lost"
                detail = Explanation(code, {**params, "why": why})
                candidates.append(_Candidate(rule, s.person, goal, False, detail))
    return candidates


def _collectives(
    rules: Sequence[Rule], matches: dict[int, list[Goal]], today: dt.date
) -> list[_Candidate]:
    ended = {g.pk: g for r in rules for g in matches.get(r.pk, []) if g.period_end <= today}
    if not ended:
        return []
    statuses = collective_status(ended.values(), today)
    candidates = []
    for rule in rules:
        for goal in matches.get(rule.pk, []):
            status = statuses.get(goal.pk)
            if status is None:
                continue
            counted = [m for m in status.members if not m.excluded]
            short = [m.person.full_name for m in counted if not m.met]
            for member in status.members:
                label = goal_label(goal)
                if member.excluded:
                    detail = Explanation(
                        "award.not_counted", {"goal": label, "reason": member.exclusion_reason}
                    )
                    candidates.append(_Candidate(rule, member.person, goal, False, detail))
                elif status.met:
                    detail = Explanation("award.collective_met", {"goal": label, "n": len(counted)})
                    candidates.append(_Candidate(rule, member.person, goal, True, detail))
                else:
                    who: object = ", ".join(short) or Explanation("award.not_every_member")
                    detail = Explanation("award.collective_short", {"goal": label, "who": who})
                    candidates.append(_Candidate(rule, member.person, goal, False, detail))
    return candidates


def _lower_is_better(names: set[str]) -> set[str]:
    """Which of the metrics count lower as better (for them, zero is a result)."""
    if not names:
        return set()
    lower = Metric.objects.filter(name__in=names, direction=Metric.Direction.LOWER)
    return set(lower.values_list("name", flat=True))
