"""M3 scorecards: a person's goals of a period in priority order, met or missed, and a score.

A scorecard covers one period — a month, with the weeks that overlap it — for one
person: the month's goals scored in priority order (``planning.scorecard`` has the rules:
weights ``1/priority``, credit capped at 100 %, the top-priority flag), each week's weekly
goals scored the same way, every goal's realism chip, and whether a stretch tier is
offered on each monthly goal this month, with the months that decide it.

``scorecards`` does it for many people at once with the batching of ``goal_progress``:
the number of queries depends on the metrics and periods involved, not on the people.

A week that straddles two months is on both months' cards, each showing the part of the
week that belongs to it (``PeriodCard.days``); a month without monthly goals averages its
weeks weighted by that part's share of the week's working days.

A goal is *met* once achieved; *missed* when its period is over and it was not; *open*
otherwise. Stretch tiers ride on the goal they stretch and are not scored (M7 rewards
them apart). Unit goals (team totals, collective goals) are not on a person's card.

The hook for other kinds of credit: ``extra_lines`` maps a person id to further
``planning.ScoreLine``s for the period's main section — e.g. a mentor's credit for
mentees' development goals. They are ordered and weighed with the goals, and shown
without a goal link (``ScoreRow.progress`` is None).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.org.models import Person
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.explain import Day, Month, Term
from pacesetter.tracking.progress import ACHIEVED, GoalProgress, goal_progress
from pacesetter.tracking.realism import GoalRealism, goal_realism

STRETCH_PERIODS = 3  # met in each of the last three periods (M7's default rule)


@dataclass(frozen=True)
class StretchVerdict:
    """Is a stretch tier offered on this goal this period, and why."""

    goal: Goal
    eligible: bool
    reason: planning.Explanation
    tier: Goal | None = None  # the stretch goal, when one is set

    @property
    def text(self) -> planning.Explanation:
        """ "stretch tier offered: met 100 % in …" / "stretch tier not offered: Sep at 82 %"."""
        code = "stretch.offered" if self.eligible else "stretch.not_offered"
        return planning.Explanation(code, {"reason": self.reason})


@dataclass
class ScoreRow:
    """One line of a card: a goal (or an extra line) with its score, realism and stretch."""

    scored: planning.ScoredLine
    progress: GoalProgress | None = None
    realism: GoalRealism | None = None
    stretch: GoalProgress | None = None
    offer: StretchVerdict | None = None

    @property
    def line(self) -> planning.ScoreLine:
        return self.scored.line

    @property
    def goal(self) -> Goal | None:
        return self.progress.goal if self.progress else None

    @property
    def met(self) -> bool | None:
        return self.line.met

    @property
    def mark(self) -> str:
        """✓ met, ✗ missed, … still open."""
        return {True: "✓", False: "✗"}.get(self.line.met, "…")  # type: ignore[arg-type]

    @property
    def state(self) -> str:
        """met, missed or open (for the page's colours)."""
        return {True: "met", False: "missed"}.get(self.line.met, "open")  # type: ignore[arg-type]


@dataclass
class PeriodCard:
    """One period's section of a scorecard; a week's section also has the days of it that
    lie in the scorecard's month (all seven for a week inside the month) and their share."""

    period: planning.Period
    rows: list[ScoreRow]
    score: planning.PeriodScore
    days: tuple[dt.date, dt.date] | None = None  # [start, end) within the month
    share: Fraction = Fraction(1)  # of the week's working days, for the month's average

    @property
    def straddles(self) -> bool:
        return self.days is not None and self.days != (self.period.start, self.period.end)

    @property
    def last_day(self) -> dt.date | None:
        return self.days[1] - dt.timedelta(days=1) if self.days else None

    @property
    def share_percent(self) -> int:
        return round(self.share * 100)

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def levels(self) -> list[tuple[int, str]]:
        """Each priority level that counts, in order, as met, missed or open."""
        states: dict[int, list[bool | None]] = defaultdict(list)
        for row in self.rows:
            if row.line.counts:
                states[row.line.priority].append(row.line.met)
        return [
            (p, "missed" if False in m else "met" if all(m) else "open")
            for p, m in sorted(states.items())
        ]


@dataclass
class Scorecard:
    person: Person
    period: planning.Period
    today: dt.date
    main: PeriodCard
    weeks: list[PeriodCard] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        """The main period's score; a month without monthly goals averages its weeks."""
        if self.main.score.score is not None:
            return self.main.score.score
        return planning.combine_scores(
            [w.score.score for w in self.weeks], weights=[w.share for w in self.weeks]
        )

    @property
    def sections(self) -> list[PeriodCard]:
        return [self.main, *self.weeks]

    @property
    def top_missed(self) -> list[tuple[PeriodCard, planning.ScoreLine]]:
        """Every top-priority goal missed, in the month or in one of its weeks."""
        return [(card, line) for card in self.sections for line in card.score.top_missed]

    @property
    def offers(self) -> list[StretchVerdict]:
        return [row.offer for row in self.main.rows if row.offer is not None]


def scorecards(
    person_ids: Iterable[int],
    period: planning.Period,
    today: dt.date,
    *,
    extra_lines: Mapping[int, Sequence[planning.ScoreLine]] | None = None,
    sequenced: bool = False,
    with_realism: bool = True,
) -> dict[int, Scorecard]:
    """The scorecard of each person for ``period`` (a month, with its weeks; any other kind
    of period without sub-periods), as of ``today``. ``sequenced`` gates credit (see
    ``planning.scorecard``); ``extra_lines`` adds lines to a person's main section — for a
    mentor, one line per mentee (M8: ``coaching.selectors.mentor_score_lines``, which the
    callers above pass in)."""
    ids = list(dict.fromkeys(person_ids))
    people = Person.objects.in_bulk(ids)
    extra_lines = extra_lines or {}
    weekly = period.kind == "month"
    goals = list(
        Goal.objects.filter(person_id__in=ids)
        .filter(
            Q(period_kind=period.kind, period_start__lt=period.end, period_end__gt=period.start)
            | Q(period_kind="week", period_start__lt=period.end, period_end__gt=period.start)
            if weekly
            else Q(
                period_kind=period.kind, period_start__lt=period.end, period_end__gt=period.start
            )
        )
        .select_related("person")
        .order_by("priority", "period_start", "metric", "id")
    )
    progress = {r.goal.pk: r for r in goal_progress(goals, today)}
    scored = [g for g in goals if g.kind != Goal.Kind.STRETCH]
    realism = goal_realism(scored, today) if with_realism else {}
    main_goals = [g for g in goals if g.period_kind == period.kind]
    offers = _stretch_verdicts(main_goals, progress, period, today)
    cal = work_calendar()
    cal_weeks = _weeks(goals, cal) if weekly else {}
    cards = {}
    for pid in ids:
        person = people.get(pid)
        if person is None:
            continue
        mine = [g for g in main_goals if g.person_id == pid]
        main = _card(
            period,
            mine,
            progress,
            realism,
            offers,
            today,
            extra=list((extra_lines or {}).get(pid, ())),
            sequenced=sequenced,
        )
        weeks = [
            _in_month(
                _card(
                    week,
                    [g for g in wg if g.person_id == pid],
                    progress,
                    realism,
                    {},
                    today,
                    sequenced=sequenced,
                ),
                period,
                cal,
            )
            for week, wg in cal_weeks.items()
        ]
        cards[pid] = Scorecard(person, period, today, main, [w for w in weeks if w.rows])
    return cards


def _weeks(goals: list[Goal], cal: planning.WorkCalendar) -> dict[planning.Period, list[Goal]]:
    """The weekly goals by week, in date order."""
    found: dict[planning.Period, list[Goal]] = defaultdict(list)
    for g in goals:
        if g.period_kind == "week":
            label = planning.week_of(g.period_start, cal).label
            found[planning.Period("week", g.period_start, g.period_end, label)].append(g)
    return dict(sorted(found.items(), key=lambda item: item[0].start))


def _in_month(card: PeriodCard, month: planning.Period, cal: planning.WorkCalendar) -> PeriodCard:
    """The week's card with the days of it inside ``month`` and their share of the week."""
    week = card.period
    card.days = (max(week.start, month.start), min(week.end, month.end))
    if card.straddles:
        whole = planning.working_day_count(week, cal)
        part = planning.working_day_count(card.days, cal)
        if not whole:  # a week of holidays: count calendar days instead
            whole, part = (week.end - week.start).days, (card.days[1] - card.days[0]).days
        card.share = Fraction(part, whole)
    return card


def _met(result: GoalProgress, today: dt.date) -> bool | None:
    if result.status == ACHIEVED:
        return True
    return False if today >= result.goal.period_end else None


def _card(
    period: planning.Period,
    goals: list[Goal],
    progress: Mapping[int, GoalProgress],
    realism: Mapping[int, GoalRealism],
    offers: Mapping[int, StretchVerdict],
    today: dt.date,
    *,
    extra: Sequence[planning.ScoreLine] = (),
    sequenced: bool = False,
) -> PeriodCard:
    here = {g.pk for g in goals}
    tiers = {
        g.tier_of_id: progress[g.pk]
        for g in goals
        if g.kind == Goal.Kind.STRETCH and g.tier_of_id in here
    }
    lines = []
    for g in goals:
        if g.kind == Goal.Kind.STRETCH and g.tier_of_id in here:
            continue  # rides on the goal it stretches
        r = progress[g.pk]
        lines.append(
            planning.ScoreLine(
                g.pk,
                planning.Explanation(
                    "term", {"word": Term("metric_label", r.metric.name, r.metric.label)}
                ),
                g.priority,
                r.attainment,
                _met(r, today),
                counts=g.kind != Goal.Kind.STRETCH,
                note=g.kind,
            )
        )
    score = planning.score_period([*lines, *extra], sequenced=sequenced)
    rows = []
    for scored in score.lines:
        key = scored.line.key
        if not isinstance(key, int) or key not in here:
            rows.append(ScoreRow(scored))  # an extra line, not a goal
            continue
        rows.append(
            ScoreRow(scored, progress.get(key), realism.get(key), tiers.get(key), offers.get(key))
        )
    return PeriodCard(period, rows, score)


def _stretch_verdicts(
    goals: list[Goal],
    progress: Mapping[int, GoalProgress],
    period: planning.Period,
    today: dt.date,
) -> dict[int, StretchVerdict]:
    """M7, re-evaluated every period: for each standard goal of a higher-is-better metric,
    whether a stretch tier is offered this period — met 100 % of the same metric's goal in
    each of the previous three periods. Two queries plus ``goal_progress`` of the past goals."""
    base = [
        g
        for g in goals
        if g.kind == Goal.Kind.STANDARD and not progress[g.pk].metric.lower_is_better
    ]
    if not base or period.kind not in planning.realism.HISTORY:
        return {}
    windows = planning.past_windows(period.kind, period.start, period.end, STRETCH_PERIODS)
    past = list(
        Goal.objects.filter(
            person_id__in={g.person_id for g in base},
            metric__in={g.metric for g in base},
            kind=Goal.Kind.STANDARD,
            period_kind=period.kind,
            period_start__gte=windows[0][0],
            period_start__lt=period.start,
        )
    )
    results = goal_progress(past, today)
    attainment: dict[tuple[int | None, str, int], Decimal | None] = {}  # (person, metric, i)
    for r in results:
        for i, (start, end) in enumerate(windows):
            if start <= r.goal.period_start < end:
                attainment[(r.goal.person_id, r.goal.metric, i)] = r.attainment
    tiers = {
        g.tier_of_id: g
        for g in Goal.objects.filter(
            tier_of_id__in=[g.pk for g in base], kind=Goal.Kind.STRETCH
        ).only("id", "tier_of_id", "target")
    }
    found = {}
    for g in base:
        history = [
            (_short_label(period.kind, start), attainment.get((g.person_id, g.metric, i)))
            for i, (start, _end) in enumerate(windows)
        ]
        verdict = planning.stretch_eligibility(
            history,
            required_periods=STRETCH_PERIODS,
            period_word=planning.realism.PERIOD_WORDS[period.kind],
        )
        found[g.pk] = StretchVerdict(g, verdict.eligible, verdict.reason, tiers.get(g.pk))
    return found


def _short_label(kind: str, start: dt.date) -> Month | Day:
    """How a reason names a past period: "Aug" for months, the start date otherwise."""
    return Month(start.month) if kind == "month" else Day(start, "day_month")
