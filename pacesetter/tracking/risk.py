"""Who needs a conversation now: the reps whose top-priority goals are likely to be missed
and can still be saved, the most at stake first, each with the one thing to do.

Pace alone calls everyone behind four days into a month. Risk asks instead how likely each
goal still is to be met by its period's end, from the rep's own past periods (the realism
engine's history, ``tracking.realism.goal_realism``), conditioned on what is done and the
working days left (``planning.risk``); a newcomer without enough history of their own is
judged on the rates of their team. Without any history at all there is no evidence and no
made-up chance: the goal is not listed (pace and status still show it on the grid).

The thresholds are the organisation's settings (``OrgSettings.risk_*``):

- a rep's ``risk_top_goals`` most important goals running today are judged (a weekly
  "articles shared" of priority 9 is not what a conversation is about);
- until ``risk_wait_share`` % of a period's working days have gone, its goals wait for
  evidence;
- a goal below ``risk_likely_below`` % is likely to be missed; below
  ``risk_savable_from`` % it is lost (nothing a conversation this week changes);
- and the pace must agree (behind or at risk): a stretch goal that was as unlikely on the
  day it was set, while the rep keeps its pace, is no news.

Only counts and sums where more is better are judged: a rate or a median does not add up
over the days left. Set-wise: one history query per metric (``goal_realism``) and one for
the reps' teams, whatever the number of reps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings, Person
from pacesetter.org.selectors import work_calendar
from pacesetter.planning import risk as maths
from pacesetter.planning.realism import MIN_HISTORY
from pacesetter.presentation import period_kind_label
from pacesetter.tracking.progress import AT_RISK as PACE_AT_RISK
from pacesetter.tracking.progress import BEHIND, CUMULATIVE, GoalProgress
from pacesetter.tracking.realism import GoalRealism, goal_realism

MET, LIKELY, AT_RISK, LOST, WAITING = "met", "likely", "at_risk", "lost", "waiting"
NO_HISTORY = "no_history"  # neither the rep nor the team has a past period: no evidence
STRETCH = "stretch"  # below the threshold, but on pace: as hard as when it was set
OFF_PACE = (BEHIND, PACE_AT_RISK)
OWN, TEAM = "own", "team"  # what the chance was judged on
BASIS_LABELS = {OWN: _("the rep's own history"), TEAM: _("the team's history (a newcomer)")}


@dataclass(frozen=True)
class Action:
    """The one thing to do: ``amount`` more by ``day`` (the end of this week's working days,
    or of the period if sooner)."""

    amount: Decimal
    day: dt.date


@dataclass
class GoalRisk:
    """One running goal's chance of being met and why."""

    progress: GoalProgress
    verdict: str
    percent: int | None = None
    basis: str = ""
    left: Decimal = Decimal(0)
    days_left: int = 0
    stake: float = 0.0
    action: Action | None = None

    @property
    def goal(self) -> Goal:
        return self.progress.goal

    @property
    def label(self) -> str:
        """The goal's metric in the reader's language."""
        return self.progress.metric_label

    @property
    def period_label(self) -> str:
        """The goal's kind of period in the reader's language ("weekly")."""
        return str(period_kind_label(self.goal.period_kind))

    @property
    def basis_label(self) -> str:
        """What the chance was judged on, in the reader's language."""
        return str(BASIS_LABELS.get(self.basis, ""))

    @property
    def left_text(self) -> str:
        return self.progress.show(self.left)

    @property
    def action_text(self) -> str:
        return "" if self.action is None else self.progress.show(self.action.amount)


@dataclass
class RepRisk:
    """A rep who needs a conversation: their goals likely to be missed, most at stake first."""

    person: Person
    goals: list[GoalRisk] = field(default_factory=list)

    @property
    def top(self) -> GoalRisk:
        return self.goals[0]

    @property
    def stake(self) -> float:
        return sum(g.stake for g in self.goals)


@dataclass(frozen=True)
class _Rules:
    top_goals: int
    wait: Fraction
    likely_below: int
    savable_from: int

    @classmethod
    def of(cls, org: OrgSettings) -> _Rules:
        return cls(
            org.risk_top_goals,
            Fraction(org.risk_wait_share, 100),
            org.risk_likely_below,
            org.risk_savable_from,
        )


def top_goals(progress: Iterable[GoalProgress], today: dt.date, count: int) -> list[GoalProgress]:
    """Each rep's ``count`` most important goals running on ``today`` (priority, then the
    shortest period first: this week's demos before this quarter's)."""
    by_person: dict[int, list[GoalProgress]] = defaultdict(list)
    for p in progress:
        g = p.goal
        if g.person_id and g.period_start <= today < g.period_end:
            by_person[g.person_id].append(p)
    chosen = []
    for items in by_person.values():
        items.sort(key=lambda p: (p.goal.priority, p.goal.period_end, p.goal.metric, p.goal.pk))
        chosen.extend(items[:count])
    return chosen


def judged(p: GoalProgress) -> bool:
    """Whether risk can judge the goal: a count or a sum where more is better."""
    return p.metric.aggregation in CUMULATIVE and not p.metric.lower_is_better


def goal_risks(progress: Iterable[GoalProgress], today: dt.date) -> list[GoalRisk]:
    """The risk of each rep's top goals running on ``today`` (see the module's rules)."""
    org = OrgSettings.load()
    rules = _Rules.of(org)
    cal = work_calendar(org)
    chosen = [p for p in top_goals(progress, today, rules.top_goals) if judged(p)]
    open_ = [p for p in chosen if p.status != "achieved" and p.elapsed >= rules.wait]
    histories = goal_realism([p.goal for p in open_], today)
    pools = _team_pools(open_, histories, today)
    found = []
    for p in chosen:
        if p.status == "achieved":
            found.append(GoalRisk(p, MET))
        elif p.elapsed < rules.wait:
            found.append(GoalRisk(p, WAITING))
        else:
            found.append(_judge(p, histories.get(p.goal.pk), pools, rules, today, cal))
    return found


def risk_list(progress: Iterable[GoalProgress], today: dt.date) -> list[RepRisk]:
    """The reps who need a conversation: with at least one top goal likely to be missed and
    still savable; the most at stake first."""
    by_person: dict[int, RepRisk] = {}
    for r in goal_risks(progress, today):
        if r.verdict != AT_RISK:
            continue
        person = r.goal.person
        assert person is not None  # top goals are people's
        by_person.setdefault(person.pk, RepRisk(person)).goals.append(r)
    for rep in by_person.values():
        rep.goals.sort(key=lambda g: (-g.stake, g.goal.priority, g.goal.pk))
    return sorted(by_person.values(), key=lambda r: (-r.stake, r.person.full_name))


Pools = dict[tuple[int, str, str], list[Fraction]]


@dataclass(frozen=True)
class _Teams:
    """Each rep's team today, and the daily rates of the team's past periods pooled by
    (team, metric, period kind): what a newcomer is judged on."""

    of: dict[int, int]
    pools: Pools

    def rates(self, goal: Goal) -> list[Fraction]:
        team = self.of.get(goal.person_id or 0)
        return [] if team is None else self.pools.get((team, goal.metric, goal.period_kind), [])


def _team_pools(
    progress: list[GoalProgress], histories: dict[int, GoalRealism], today: dt.date
) -> _Teams:
    """One query for the reps' teams; the rates come from the histories already read."""
    people = {p.goal.person_id for p in progress}
    teams = dict(
        Membership.objects.filter(person_id__in=people)
        .on(today)
        .values_list("person_id", "unit_id")
    )
    pools: Pools = defaultdict(list)
    for p in progress:
        g, history = p.goal, histories.get(p.goal.pk)
        team = teams.get(g.person_id or 0)
        if history is not None and team is not None:
            pools[(team, g.metric, g.period_kind)].extend(maths.daily_rates(history.history))
    return _Teams(teams, dict(pools))


def _rates(
    p: GoalProgress,
    history: GoalRealism | None,
    teams: _Teams,
) -> tuple[list[Fraction], str]:
    """The daily rates the goal is judged on, and whose they are."""
    g = p.goal
    own = maths.daily_rates(history.history) if history is not None else []
    if len(own) >= MIN_HISTORY.get(g.period_kind, 1):
        return own, OWN
    pooled = teams.rates(g)
    if pooled:
        return pooled, TEAM
    return [], ""


def _judge(
    p: GoalProgress,
    history: GoalRealism | None,
    teams: _Teams,
    rules: _Rules,
    today: dt.date,
    cal: planning.WorkCalendar,
) -> GoalRisk:
    g, person = p.goal, p.goal.person
    assert person is not None
    rates, basis = _rates(p, history, teams)
    if not rates:
        return GoalRisk(p, NO_HISTORY)
    room = planning.capacity_of(
        max(today, g.period_start), g.period_end, cal, hired=person.hire_date,
        left=person.leave_date,
    )  # fmt: skip
    whole = p.metric.unit == Metric.Unit.COUNT
    done = p.actual or Decimal(0)
    outlook = maths.finish_chance(
        target=g.target, done=done, capacity_left=room, rates=rates, whole_units=whole
    )
    percent = outlook.percent
    if percent < rules.savable_from:
        verdict = LOST
    elif percent >= rules.likely_below:
        verdict = LIKELY
    elif p.status in OFF_PACE:
        verdict = AT_RISK
    else:
        verdict = STRETCH  # unlikely from the start, and the rep keeps the pace: no news
    left = max(Decimal(0), g.target - done)
    risk = GoalRisk(p, verdict, percent, basis, left, p.remaining_days)
    if verdict == AT_RISK:
        risk.stake = maths.at_stake(
            probability=outlook.probability, left=left, target=g.target, priority=g.priority
        )
        risk.action = _action(p, today, cal, whole)
    return risk


def _action(p: GoalProgress, today: dt.date, cal: planning.WorkCalendar, whole: bool) -> Action:
    """What brings the goal back on pace by the last working day of this week (or of the
    period, if it ends sooner)."""
    g = p.goal
    stop = min(planning.week_of(today, cal).end, g.period_end)
    days = (
        planning.working_days((today, stop), cal)
        or planning.working_days((g.period_start, g.period_end), cal)[-1:]
    )
    last = days[-1] if days else stop - dt.timedelta(days=1)
    total = planning.working_day_count((g.period_start, g.period_end), cal)
    by_then = planning.working_day_count((g.period_start, last + dt.timedelta(days=1)), cal)
    share = Fraction(by_then, total) if total else Fraction(1)
    amount = maths.needed_by(
        target=g.target, done=p.actual or 0, share_by_then=share, whole_units=whole
    )
    return Action(amount, last)
