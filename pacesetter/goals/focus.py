"""M3 for junior reps: a focus area — the funnel stage where they lag their team most — and
a goal that works on it.

The source's example: a new rep whose prospecting is weak gets "+10 % outreach calls a
week". Pacesetter finds the stage by comparing the rep's conversion rates over the last
13 whole weeks (about 90 days) with the median of their teammates' rates (the rep's own
rate is left out, so a small team's median is not pulled toward them):

* calls → demos (is prospecting turning into demos?),
* demos → deals won (are demos closing?).

The stage with the largest *relative* shortfall (``1 − own ÷ median``) is the focus, and
the proposal is a weekly goal on the activity at the top of that stage — calls for
calls → demos, demos for demos → deals — at the rep's own recent weekly average plus
10 %, rounded up to a whole activity, for the coming week. Working the top of a weak stage
harder is what a manager asks of a junior: more shots while the skill catches up.

A manager (or admin) accepts it: the goal is created once (kind standard, with a note that
says why), right after the rep's priority-1 goal if they have one (revenue comes first),
else at priority 1. Accepting again changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.explanations import english
from pacesetter.goals.funnel_history import STAGES
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.ledger.selectors import funnel_counts
from pacesetter.org.models import Membership, OrgSettings, Person, Role
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.explain import Explanation, Percent, Term

JUNIOR_MONTHS = 6  # tenure under this many months: a junior, who gets a suggestion unasked
HISTORY_WEEKS = 13
UPLIFT = Decimal("1.10")
# The activity each stage starts from, and the metric that counts it.
STAGE_METRICS = {"call": "calls_made", "demo": "demos_held"}
STAGE_NAMES = {"call": "calls", "demo": "demos", "deal": "deals won"}


@dataclass(frozen=True)
class StageRate:
    """One funnel stage: the rep's conversion, the team's median, and the shortfall."""

    from_stage: str
    to_stage: str
    own_from: int
    own_to: int
    own: Decimal | None  # None: the rep had nothing at the top of the stage
    team_median: Decimal | None  # None: no teammate has a rate
    peers: int

    @property
    def name(self) -> Explanation:
        """ "calls → demos" (``STAGE_NAMES`` in English)."""
        return Explanation(
            "focus.stage",
            {"from": Term("stages", self.from_stage), "to": Term("stages", self.to_stage)},
        )

    @property
    def own_percent(self) -> Decimal | None:
        return None if self.own is None else (self.own * 100).quantize(Decimal("0.1"))

    @property
    def team_percent(self) -> Decimal | None:
        return (
            None if self.team_median is None else (self.team_median * 100).quantize(Decimal("0.1"))
        )

    @property
    def own_bar(self) -> Decimal:
        """The rep's rate as a share of the larger of the two (for side-by-side bars)."""
        return self._bar(self.own)

    @property
    def team_bar(self) -> Decimal:
        return self._bar(self.team_median)

    def _bar(self, value: Decimal | None) -> Decimal:
        top = max(self.own or 0, self.team_median or 0)
        return (Decimal(value or 0) / top * 100).quantize(Decimal("0.1")) if top else Decimal(0)

    @property
    def shortfall(self) -> Decimal | None:
        """How far below the team median, relative to it (0.5 = half the median's rate)."""
        if self.own is None or not self.team_median:
            return None
        return max(Decimal(0), 1 - self.own / self.team_median)


@dataclass(frozen=True)
class FocusSuggestion:
    """The focus area of a rep and the goal proposed for it (``target`` None: no proposal,
    ``reason`` says why)."""

    person: Person
    today: dt.date
    window: tuple[dt.date, dt.date]
    tenure_months: int | None
    stages: tuple[StageRate, ...] = ()
    focus: StageRate | None = None
    metric: str | None = None
    weekly_average: Decimal | None = None
    target: Decimal | None = None
    week: planning.Period | None = None
    priority: int = 1
    reason: Explanation | str = ""
    existing: Goal | None = field(default=None, compare=False)

    @property
    def junior(self) -> bool:
        return self.tenure_months is not None and self.tenure_months < JUNIOR_MONTHS

    @property
    def note(self) -> Explanation | str:
        """What the goal's note says, so the rep knows why it is there (stored in English;
        ``explanations.read_stored`` shows it in the reader's language)."""
        if self.focus is None or self.target is None or self.weekly_average is None:
            return ""
        return Explanation(
            "focus.note",
            {
                "stage": self.focus.name,
                "own": _pct(self.focus.own),
                "median": _pct(self.focus.team_median),
                "activity": Term("stages", self.focus.from_stage),
                "average": _tenth(self.weekly_average),
                "target": _tenth(self.target),
            },
        )


def tenure_months(person: Person, today: dt.date) -> int | None:
    """Whole months since the hire date (None without one)."""
    if person.hire_date is None:
        return None
    hired = person.hire_date
    months = (today.year - hired.year) * 12 + today.month - hired.month
    return months - (1 if today.day < hired.day else 0)


def focus_suggestion(person: Person, today: dt.date) -> FocusSuggestion:
    """The rep's weakest funnel stage against their teammates' median, and a weekly goal
    for the coming week (four queries: team, roles, activities, deals; one for the week's
    goals when there is a proposal)."""
    cal = work_calendar()
    this_week = planning.week_of(today, cal)
    start = this_week.start - dt.timedelta(weeks=HISTORY_WEEKS)
    window = (start, this_week.start)
    tenure = tenure_months(person, today)
    base = FocusSuggestion(person, today, window, tenure)
    team = list(
        Membership.objects.filter(
            unit_id__in=Membership.objects.filter(person=person).on(today).values("unit_id")
        )
        .on(today)
        .values_list("person_id", flat=True)
    )
    reps = set(
        Role.objects.filter(person_id__in=team, kind=Role.Kind.REP).values_list(
            "person_id", flat=True
        )
    )
    peers = [p for p in team if p in reps and p != person.pk]
    if not peers:
        return _replace(base, reason=Explanation("focus.no_teammates", {"person": str(person)}))
    counts = funnel_counts([person.pk, *peers], start, this_week.start, OrgSettings.load().zone)
    stages = tuple(_stage(person.pk, peers, counts, lower, upper) for lower, upper in STAGES[::-1])
    base = _replace(base, stages=stages)
    behind = [s for s in stages if s.shortfall]
    if not behind:
        compared = [s for s in stages if s.shortfall is not None]
        reason = Explanation("focus.at_or_above" if compared else "focus.not_enough_activity")
        return _replace(base, reason=reason)
    focus = max(behind, key=lambda s: s.shortfall or 0)  # the first stage wins a tie
    metric = STAGE_METRICS[focus.from_stage]
    average = Decimal(focus.own_from) / HISTORY_WEEKS
    target = Decimal(math.ceil(average * UPLIFT))
    week = planning.week_of(this_week.end, cal)
    goals = list(
        Goal.objects.filter(
            person=person, period_start__lt=week.end, period_end__gt=week.start
        ).only("id", "metric", "period_kind", "period_start", "kind", "priority", "target")
    )
    existing = next(
        (
            g
            for g in goals
            if g.metric == metric
            and g.period_kind == "week"
            and g.period_start == week.start
            and g.kind == Goal.Kind.STANDARD
        ),
        None,
    )
    priority = 2 if any(g.priority == 1 for g in goals if g is not existing) else 1
    return _replace(
        base,
        focus=focus,
        metric=metric,
        weekly_average=average,
        target=target,
        week=week,
        priority=priority,
        existing=existing,
        reason=Explanation(
            "focus.behind",
            {
                "stage": focus.name,
                "shortfall": _pct(focus.shortfall),
                "own": _pct(focus.own),
                "median": _pct(focus.team_median),
            },
        ),
    )


@transaction.atomic
def focus_accept(*, suggestion: FocusSuggestion, by: User | None = None) -> tuple[Goal, bool]:
    """Create the proposed weekly goal; returns it and whether it is new. A goal of that
    metric already set for the week (by this or by hand) is kept as it is."""
    s = suggestion
    if s.target is None or s.metric is None or s.week is None:
        raise ValueError(
            _("no focus goal to accept for %(person)s: %(reason)s")
            % {"person": s.person, "reason": s.reason}
        )
    goal, created = Goal.objects.get_or_create(
        metric=s.metric,
        person=s.person,
        unit=None,
        period_kind="week",
        period_start=s.week.start,
        kind=Goal.Kind.STANDARD,
        defaults={
            "period_end": s.week.end,
            "target": s.target,
            "priority": s.priority,
            "note": (english(s.note) if isinstance(s.note, Explanation) else s.note)[:300],
        },
    )
    if created:
        GoalChange.objects.create(
            goal=goal,
            changed_by=by,
            new_target=goal.target,
            reason=english(Explanation("change.focus_accepted")),
        )
    return goal, created


def _stage(person_id: int, peers: list[int], counts: dict, lower: str, upper: str) -> StageRate:
    def rate(pid: int) -> tuple[int, int, Decimal | None]:
        c = counts[pid]
        top = c.activities.get(lower, 0)
        bottom = c.deals_won if upper == "deal" else c.activities.get(upper, 0)
        return top, bottom, (Decimal(bottom) / Decimal(top) if top else None)

    own_from, own_to, own = rate(person_id)
    team = [r for r in (rate(p)[2] for p in peers) if r is not None]
    median = Decimal(statistics.median(team)) if team else None
    return StageRate(lower, upper, own_from, own_to, own, median, len(team))


def _replace(s: FocusSuggestion, **changes: object) -> FocusSuggestion:
    return dataclasses.replace(s, **changes)  # type: ignore[arg-type]


def _pct(value: Decimal | None) -> Percent | str:
    """A rate or shortfall in whole percent: "12 %" ("—" without one)."""
    return "—" if value is None else Percent(value, 0)


def _tenth(value: Decimal) -> Decimal:
    """A weekly count to a tenth, as the note shows it: 2.3, 3."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
