"""Reads for incentives: the payout report, budgets, a rule's exposure, what a rep can still
earn, and the program rows of the sales-plan workbook. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pacesetter import planning
from pacesetter.explanations import text_of
from pacesetter.goals.models import Goal
from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.explain import Explanation, Money, Term
from pacesetter.presentation import currency_symbol, money
from pacesetter.rewards.budgets import ZERO, budget_period, budget_periods, committed, unfunded
from pacesetter.rewards.evaluation import PERSONAL, matching_goals
from pacesetter.rewards.models import Award, AwardEntry, Program, Rule
from pacesetter.tracking.collective import reps_by_goal
from pacesetter.tracking.progress import GoalProgress, goal_progress

# A budget's period, after its amount ("$5,000.00 a month"), in the reader's language.
BUDGET_PER = {
    "month": gettext_lazy("%(amount)s a month"),
    "quarter": gettext_lazy("%(amount)s a quarter"),
    "year": gettext_lazy("%(amount)s a fiscal year"),
}
TRIGGER_CODES: dict[str, str] = {
    Rule.Trigger.GOAL_MET: "rule.goal_met",
    Rule.Trigger.STRETCH_MET: "rule.stretch_met",
    Rule.Trigger.COMPETITION_WON: "rule.competition_won",
    Rule.Trigger.COLLECTIVE_MET: "rule.collective_met",
}


def trigger_text(rule: Rule) -> Explanation:
    """What earns the rule's reward, in words a rep understands: "monthly revenue_won goal
    met" (the metric's code: a page shows its words, ``explanations.with_terms``)."""
    period = Term("period_adjective", rule.period_kind) if rule.period_kind else ""
    metric = rule.metric or Explanation("rule.any_metric")
    params: dict[str, object] = {"period": period, "metric": metric}
    if rule.trigger == Rule.Trigger.COMPETITION_WON:
        params |= {"n": rule.top_n, "rank_by": Term("rank_by", rule.rank_by)}
    words = Explanation(TRIGGER_CODES[rule.trigger], params)
    if rule.requires_top_priority:
        return Explanation("rule.top_priority_too", {"trigger": words})
    return words


def reward_text(rule: Rule, symbol: str) -> Explanation:
    """The reward: "$250.00 cash", "Team lunch (outing, valued $400.00)"."""
    reward = rule.reward
    value = Money(reward.value, symbol)
    if reward.is_cash:
        return Explanation("reward.cash", {"value": value})
    kind = Term("reward_kind", reward.kind, reward.get_kind_display().lower())
    return Explanation("reward.other", {"name": reward.name, "kind": kind, "value": value})


# --- exposure: what activating a rule could commit ------------------------------------------


@dataclass(frozen=True)
class PeriodExposure:
    """One budget period: the budget, what is committed, and what the rule could add."""

    period: planning.Period
    budget: Decimal
    committed: Decimal
    could_earn: int  # person × goal pairs that could still earn the reward
    value: Decimal

    @property
    def exposure(self) -> Decimal:
        return self.value * self.could_earn

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def over(self) -> bool:
        return self.committed + self.exposure > self.budget


@dataclass(frozen=True)
class BudgetCheck:
    """A rule's maximum exposure in the current budget period and the ones ahead with goals."""

    rule: Rule
    periods: tuple[PeriodExposure, ...]
    symbol: str = "$"

    @property
    def over(self) -> tuple[PeriodExposure, ...]:
        return tuple(p for p in self.periods if p.over)

    def line(self, p: PeriodExposure) -> str:
        m = self.symbol
        verdict = (
            f"OVER BUDGET by {money(p.committed + p.exposure - p.budget, m)}"
            if p.over
            else f"fits, {money(p.budget - p.committed - p.exposure, m)} to spare"
        )
        return (
            f"{p.period.label}: budget {money(p.budget, m)}, committed {money(p.committed, m)}, "
            f"exposure {p.could_earn} × {money(p.value, m)} = {money(p.exposure, m)} → {verdict}"
        )

    def summary(self) -> str:
        head = f"rule {self.rule.pk} “{self.rule.name}” ({self.rule.program.name})"
        if self.over:
            head += f": over budget in {len(self.over)} of {len(self.periods)} budget period(s)"
        else:
            head += f": within budget in all {len(self.periods)} budget period(s)"
        return "\n".join([head, *(f"  {self.line(p)}" for p in self.periods)])


def rule_exposure(rule: Rule, today: dt.date) -> BudgetCheck:
    """The reward's value × who could earn it, per budget period from today's on.

    Who could earn it: one per matching personal goal (a rep with four weekly goals could
    earn four times), the top N of each competition, every member of a collective goal's
    team during its period — less the awards this rule has already earned (those are in
    *committed* already). A handful of queries whatever the number of goals.
    """
    cal = work_calendar()
    program = rule.program
    current = budget_period(program, max(today, program.starts_on), cal)
    goals = Goal.objects.filter(period_start__gte=current.start)
    if program.ends_on:
        goals = goals.filter(period_start__lt=program.ends_on)
    matched = matching_goals([rule], goals).get(rule.pk, [])
    team_sizes = _team_sizes([g for g in matched if g.unit_id])
    could: dict[dt.date, int] = defaultdict(int)
    for goal in matched:
        bucket = budget_period(program, goal.period_start, cal).start
        if rule.trigger in PERSONAL:
            could[bucket] += 1
        elif rule.trigger == Rule.Trigger.COMPETITION_WON:
            could[bucket] += rule.top_n
        else:
            could[bucket] += team_sizes.get(goal.pk, 0)
    last = max([current.start, *could])
    periods = budget_periods(program, current.start, budget_period(program, last, cal).end, cal)
    spent = committed([program], periods[0].start, periods[-1].end, cal)
    already = _earned_by_rule(rule, periods, cal)
    return BudgetCheck(
        rule,
        tuple(
            PeriodExposure(
                p,
                program.budget,
                spent.get((program.pk, p.start), ZERO),
                max(0, could.get(p.start, 0) - already.get(p.start, 0)),
                rule.reward.value,
            )
            for p in periods
            if p.start == current.start or could.get(p.start)
        ),
        currency_symbol(OrgSettings.load().currency),
    )


def _team_sizes(goals: list[Goal]) -> dict[int, int]:
    """For each unit goal: how many reps belonged to its unit (or below) during its period —
    the members a collective goal counts (two queries for any number of goals)."""
    if not goals:
        return {}
    return {goal_id: len(stays) for goal_id, stays in reps_by_goal(goals).items()}


def _earned_by_rule(
    rule: Rule, periods: list[planning.Period], cal: planning.WorkCalendar
) -> dict[dt.date, int]:
    counts: dict[dt.date, int] = defaultdict(int)
    rows = (
        Award.objects.filter(
            rule=rule,
            status=Award.Status.EARNED,
            period_start__gte=periods[0].start,
            period_start__lt=periods[-1].end,
        )
        .values_list("period_start")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, n in rows:
        counts[budget_period(rule.program, day, cal).start] += n
    return counts


# --- the payout report ------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutLine:
    """One line of the award ledger, with what earned it."""

    award: Award
    entry: AwardEntry

    @property
    def person(self) -> Person:
        return self.award.person

    @property
    def rule(self) -> Rule:
        return self.award.rule

    @property
    def goal_name(self) -> Explanation:
        """The goal's metric, and its team for a team goal: "meetings_booked (Team Alpha)"."""
        goal = self.award.goal
        name = Explanation("payout.goal", {"metric": goal.metric})
        if goal.kind == Goal.Kind.STRETCH:
            name = Explanation("payout.stretch", {"metric": goal.metric})
        if goal.unit is not None:
            return Explanation("payout.of_unit", {"goal": name, "unit": goal.unit.name})
        return name


@dataclass
class PersonPayout:
    """A person's lines in the period and what they net to."""

    person: Person
    lines: list[PayoutLine] = field(default_factory=list)
    cash: Decimal = ZERO  # funded, net of reversals
    non_cash: Decimal = ZERO  # the value of the funded non-monetary rewards, net
    unfunded: Decimal = ZERO  # earned but over the budget: recorded, not paid
    rewards: list[str] = field(default_factory=list)  # non-monetary rewards held, by name

    @property
    def total(self) -> Decimal:
        return self.cash + self.non_cash

    @property
    def earned(self) -> int:
        return sum(1 for a in self.awards if a.status == Award.Status.EARNED)

    @property
    def reversed(self) -> int:
        return sum(1 for a in self.awards if a.status == Award.Status.REVERSED)

    @property
    def awards(self) -> list[Award]:
        return list({line.award.pk: line.award for line in self.lines}.values())


@dataclass(frozen=True)
class BudgetLine:
    """One program's budget period: budget, committed, remaining, and the unfunded awards."""

    program: Program
    period: planning.Period
    budget: Decimal
    committed: Decimal
    unfunded_count: int
    unfunded_value: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def committed_percent(self) -> Decimal:
        """For the bars: committed as % of the budget, capped at 100."""
        if not self.budget:
            return Decimal(100) if self.committed else ZERO
        return min(Decimal(100), self.committed / self.budget * 100).quantize(Decimal("0.1"))


@dataclass
class PayoutReport:
    start: dt.date
    end: dt.date
    people: list[PersonPayout]
    budgets: list[BudgetLine]
    symbol: str

    @property
    def lines(self) -> list[PayoutLine]:
        return [line for p in self.people for line in p.lines]

    def money(self, value: Decimal) -> str:
        return money(value, self.symbol)


def payout_report(
    start: dt.date,
    end: dt.date,
    *,
    person_ids: Collection[int] | None = None,
    programs: Iterable[Program] | None = None,
) -> PayoutReport:
    """Every ledger line of the awards for goals starting in ``[start, end)``, per person,
    netted; and the budget of every program (or the ``programs`` given) in those periods.

    Limited to ``person_ids`` when given. One query for the lines, two for the budgets.
    """
    entries = AwardEntry.objects.filter(
        award__period_start__gte=start, award__period_start__lt=end
    ).select_related(
        "award__person", "award__rule__program", "award__rule__reward", "award__goal__unit"
    )
    if person_ids is not None:
        entries = entries.filter(award__person_id__in=list(person_ids))
    entries = entries.order_by(
        "award__person__full_name", "award__person_id", "award__period_start", "award_id", "seq"
    )
    people: dict[int, PersonPayout] = {}
    awards: dict[int, Award] = {}
    for entry in entries:
        award = awards.setdefault(entry.award_id, entry.award)
        payout = people.setdefault(award.person_id, PersonPayout(award.person))
        payout.lines.append(PayoutLine(award, entry))
        if entry.funded:
            if award.rule.reward.is_cash:
                payout.cash += entry.amount
            else:
                payout.non_cash += entry.amount
    for award in awards.values():
        payout = people[award.person_id]
        if award.status == Award.Status.EARNED and not award.funded:
            payout.unfunded += award.value
        elif award.status == Award.Status.EARNED and not award.rule.reward.is_cash:
            payout.rewards.append(award.rule.reward.name)
    symbol = currency_symbol(OrgSettings.load().currency)
    return PayoutReport(start, end, list(people.values()),
                        budget_summary(start, end, programs=programs), symbol)  # fmt: skip


def budget_summary(
    start: dt.date, end: dt.date, *, programs: Iterable[Program] | None = None
) -> list[BudgetLine]:
    """Each program's budget periods that share a day with ``[start, end)`` and that the
    program runs in."""
    cal = work_calendar()
    if programs is None:
        programs = Program.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=start), starts_on__lt=end
        ).select_related("unit")
    programs = list(programs)
    if not programs:
        return []
    spent = committed(programs, start, end, cal)
    waiting = unfunded(programs, start, end, cal)
    lines = []
    for program in programs:
        for period in budget_periods(program, start, end, cal):
            if period.end <= program.starts_on or (
                program.ends_on and period.start >= program.ends_on
            ):
                continue
            key = (program.pk, period.start)
            count, value = waiting.get(key, (0, ZERO))
            lines.append(
                BudgetLine(program, period, program.budget, spent.get(key, ZERO), count, value)
            )
    return lines


# --- what a rep can still earn ----------------------------------------------------------------


@dataclass(frozen=True)
class Opportunity:
    """A reward a person can still earn with a goal running today."""

    rule: Rule
    goal: Goal
    progress: GoalProgress | None  # the person's own goal; None for team goals
    reward: Explanation
    trigger: Explanation


def earnable(person: Person, today: dt.date) -> list[Opportunity]:
    """The active rules' rewards that ``person`` can still earn with the goals running today:
    their own goals, and their team's competitions and collective goals. Only reads."""
    rules = list(Rule.objects.filter(status=Rule.Status.ACTIVE).select_related("program", "reward"))
    if not rules:
        return []
    # Team competitions and collectives count reps only; a manager's team is not their own.
    is_rep = Role.objects.filter(person=person, kind=Role.Kind.REP).exists()
    memberships = Membership.objects.filter(person=person).on(today)
    team_ids = list(memberships.values_list("unit_id", flat=True)) if is_rep else []
    goals = Goal.objects.filter(period_start__lte=today, period_end__gt=today).filter(
        Q(person=person) | Q(unit_id__in=team_ids)
    )
    matches = matching_goals(rules, goals)
    done = set(
        Award.objects.filter(person=person, status=Award.Status.EARNED, rule__in=rules).values_list(
            "rule_id", "goal_id"
        )
    )
    pairs = [
        (rule, goal)
        for rule in rules
        for goal in matches.get(rule.pk, [])
        if (rule.pk, goal.pk) not in done
    ]
    own = {g.pk: g for _, g in pairs if g.person_id}
    progress = {p.goal.pk: p for p in goal_progress(own.values(), today)}
    symbol = currency_symbol(OrgSettings.load().currency)
    found = [
        Opportunity(
            rule, goal, progress.get(goal.pk), reward_text(rule, symbol), trigger_text(rule)
        )
        for rule, goal in pairs
    ]
    return sorted(found, key=lambda o: (o.goal.priority, o.goal.period_end, o.rule.pk))


# --- the sales-plan workbook ------------------------------------------------------------------


def program_rows(
    fiscal_year: int | None = None, *, unit_ids: Iterable[int] | None = None
) -> list[dict[str, str]]:
    """One row per active rule (what a plan handed to reps may promise), as text in the active
    language (the plan workbook's): program,
    rule, trigger, reward, value, budget, period. Limited to the programs running in fiscal
    year ``fiscal_year`` when given, and, when ``unit_ids`` are given (a team's workbook),
    to the programs that reach those units: company-wide ones and those of a unit at or
    above one of them — a team never reads another team's incentives."""
    programs = Program.objects.all()
    if unit_ids is not None:
        parents = dict(Unit.objects.values_list("id", "parent_id"))
        reach: set[int] = set()
        for start in unit_ids:
            unit: int | None = start
            while unit is not None and unit not in reach:
                reach.add(unit)
                unit = parents.get(unit)
        programs = programs.filter(Q(unit__isnull=True) | Q(unit_id__in=reach))
    if fiscal_year is not None:
        year = planning.fiscal_year(fiscal_year, work_calendar())
        programs = programs.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=year.start), starts_on__lt=year.end
        )
    rules = (
        Rule.objects.filter(status=Rule.Status.ACTIVE, program__in=programs)
        .select_related("program", "reward", "program__unit")
        .order_by("program__name", "id")
    )
    symbol = currency_symbol(OrgSettings.load().currency)
    rows = []
    for rule in rules:
        program = rule.program
        days = {"start": f"{program.starts_on:%Y-%m-%d}"}
        if program.ends_on:
            days["end"] = f"{program.ends_on - dt.timedelta(days=1):%Y-%m-%d}"
        period = (_("from %(start)s to %(end)s") if program.ends_on else _("from %(start)s")) % days
        budget = money(program.budget, symbol)
        rows.append(
            {
                "program": program.name
                + (f" ({program.unit.name})" if program.unit is not None else ""),
                "rule": rule.name,
                "trigger": text_of(trigger_text(rule)),  # the workbook's language
                "reward": rule.reward.name,
                "value": money(rule.reward.value, symbol),
                "budget": str(BUDGET_PER[program.budget_period]) % {"amount": budget},
                "period": period,
            }
        )
    return rows
