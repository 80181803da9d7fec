"""Writes for incentives: compute the awards of a period, activate and retire rules.

``awards_compute`` is idempotent: it compares what the data says now with the award ledger
and appends only the difference — an award newly earned, an award reversed because the data
was corrected downwards (with the reason), an award earned again after an upward correction,
an unfunded award funded once budget is free. Run it as often as you like (``pacesetter
rewards``, or cron after the nightly import): nothing is ever paid twice, because the
database holds at most one award per (rule, person, goal) and one ledger line per sequence
number. Web pages only read; they never compute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pacesetter import planning
from pacesetter.goals.models import Goal
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.rewards.budgets import ZERO, BudgetKey, budget_period, committed
from pacesetter.rewards.evaluation import Key, Verdict, evaluate
from pacesetter.rewards.models import Award, AwardEntry, Program, Rule
from pacesetter.rewards.selectors import BudgetCheck, rule_exposure

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _LastSeq(TypedDict):
        last_seq: int | None  # the award's last ledger line (``Max("entries__seq")``)

    StoredAward = WithAnnotations[Award, _LastSeq]  # an award as ``awards_compute`` reads it

NO_LONGER_MATCHES = "no longer matches the rule (its goal, unit or program changed)"


@dataclass(frozen=True)
class ComputeResult:
    """What one computation appended to the award ledger."""

    period: planning.Period
    today: dt.date
    earned: int = 0  # new or earned again
    reversed: int = 0
    funded_later: int = 0
    unfunded: int = 0  # of the earned ones: recorded, but over the budget
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.earned} earned ({self.unfunded} unfunded), {self.reversed} reversed, "
            f"{self.funded_later} funded from freed budget, {self.unchanged} unchanged"
        )


class OverBudgetError(ValueError):
    """Activating the rule could commit more than the budget; ``check`` says where."""

    def __init__(self, check: BudgetCheck) -> None:
        self.check = check
        super().__init__(check.summary())


def _clip(text: str) -> str:
    return text if len(text) <= 300 else text[:299] + "…"


@transaction.atomic
def awards_compute(*, period: planning.Period, today: dt.date | None = None) -> ComputeResult:
    """Bring the award ledger of the goals starting in ``period`` up to date with the data.

    Order matters for the budget: reversals free budget first, then unfunded awards are
    funded in the order they were earned, then new awards are funded while budget remains
    and recorded unfunded beyond it (never dropped).
    """
    today = today or today_in_org()
    cal = work_calendar()
    start, end = period.start, period.end
    rules = [
        r
        for r in Rule.objects.filter(status=Rule.Status.ACTIVE).select_related("program", "reward")
        if r.program.starts_on < end and (r.program.ends_on is None or r.program.ends_on > start)
    ]
    if not rules:
        return ComputeResult(period, today)
    # Serialise computations that spend the same budgets (a no-op on SQLite, which
    # serialises writers anyway).
    # Locked in id order, so that two runs never wait on each other crosswise.
    programs = {p.pk: p for p in Program.objects.select_for_update().filter(
        pk__in={r.program_id for r in rules}).order_by("pk")}  # fmt: skip
    verdicts = {
        v.key: v
        for v in evaluate(
            rules, Goal.objects.filter(period_start__gte=start, period_start__lt=end), today
        )
    }
    existing = {
        (a.rule_id, a.person_id, a.goal_id): a
        for a in Award.objects.filter(
            rule__in=rules, period_start__gte=start, period_start__lt=end
        ).annotate(last_seq=Max("entries__seq"))
    }
    program_of = {r.pk: programs[r.program_id] for r in rules}
    run = _Run(program_of, committed(programs.values(), start, end, cal), cal)
    run.reverse_unsupported(existing, verdicts)
    run.fund_waiting(existing)
    new_awards = run.earn(existing, verdicts)
    run.write(new_awards)
    return ComputeResult(period, today, **run.counts)


class _Run:
    """One computation's bookkeeping: the budget spent per (program, budget period), and the
    ledger lines and award changes it will write."""

    def __init__(
        self,
        program_of: dict[int, Program],
        spent: dict[BudgetKey, Decimal],
        cal: planning.WorkCalendar,
    ) -> None:
        self.program_of, self.spent, self.cal = program_of, spent, cal  # program by rule id
        self.now = timezone.now()
        self.entries: list[AwardEntry] = []
        self.touched: dict[int, Award] = {}
        self.counts = {"earned": 0, "reversed": 0, "funded_later": 0, "unfunded": 0,
                       "unchanged": 0}  # fmt: skip

    def bucket(self, program: Program, day: dt.date) -> BudgetKey:
        return (program.pk, budget_period(program, day, self.cal).start)

    def fits(self, program: Program, day: dt.date, value: Decimal) -> bool:
        """Whether ``value`` fits the budget left; if so, it is spent."""
        key = self.bucket(program, day)
        if self.spent.get(key, ZERO) + value > program.budget:
            return False
        self.spent[key] = self.spent.get(key, ZERO) + value
        return True

    def append(
        self, award: StoredAward, kind: str, amount: Decimal, funded: bool, note: str
    ) -> None:
        """A ledger line for an award that exists already."""
        award.last_seq = (award.last_seq or 0) + 1
        self.entries.append(AwardEntry(award=award, seq=award.last_seq, kind=kind,
                                       amount=amount, funded=funded, note=_clip(note),
                                       created_at=self.now))  # fmt: skip
        award.changed_at = self.now
        self.touched[award.pk] = award

    def reverse_unsupported(
        self, existing: dict[Key, StoredAward], verdicts: dict[Key, Verdict]
    ) -> None:
        """1. Reversals: earned awards the data no longer supports."""
        for key, award in existing.items():
            verdict = verdicts.get(key)
            if award.status != Award.Status.EARNED or (verdict is not None and verdict.earned):
                continue
            reason = _clip(verdict.detail if verdict else NO_LONGER_MATCHES)
            award.status, award.reason = Award.Status.REVERSED, reason
            self.append(award, AwardEntry.Kind.REVERSED, -award.value, award.funded, reason)
            if award.funded:
                program = self.program_of[award.rule_id]
                self.spent[self.bucket(program, award.period_start)] -= award.value
            self.counts["reversed"] += 1

    def fund_waiting(self, existing: dict[Key, StoredAward]) -> None:
        """2. Budget freed: fund the awards recorded unfunded, first earned first."""
        waiting = sorted(
            (a for a in existing.values() if a.status == Award.Status.EARNED and not a.funded),
            key=lambda a: (a.earned_at, a.pk),
        )
        for award in waiting:
            if self.fits(self.program_of[award.rule_id], award.period_start, award.value):
                award.funded = True
                self.append(award, AwardEntry.Kind.FUNDED, award.value, True,
                            "funded: budget available")  # fmt: skip
                self.counts["funded_later"] += 1

    def earn(self, existing: dict[Key, StoredAward], verdicts: dict[Key, Verdict]) -> list[Award]:
        """3. Earnings, in a stable order so that the same data funds the same awards; the
        awards earned for the first time, not written yet."""
        new_awards: list[Award] = []
        earned = sorted(
            (v for v in verdicts.values() if v.earned),
            key=lambda v: (v.goal.period_start, v.rule.pk, v.person.full_name, v.person.pk,
                           v.goal.pk),
        )  # fmt: skip
        for verdict in earned:
            award = existing.get(verdict.key)
            if award is not None and award.status == Award.Status.EARNED:
                self.counts["unchanged"] += 1
                continue
            value = verdict.rule.reward.value
            funded = self.fits(self.program_of[verdict.rule.pk], verdict.goal.period_start, value)
            self.counts["earned"] += 1
            self.counts["unfunded"] += not funded
            if award is None:
                new_awards.append(_new_award(verdict, value, funded, self.now))
                continue
            award.status, award.value, award.funded = Award.Status.EARNED, value, funded
            award.detail, award.reason = _clip(verdict.detail), ""
            self.append(award, AwardEntry.Kind.EARNED, value, funded,
                        "earned again: " + verdict.detail)  # fmt: skip
        return new_awards

    def write(self, new_awards: list[Award]) -> None:
        """Write the new awards, the changed ones, and every ledger line."""
        Award.objects.bulk_create(new_awards, batch_size=1000)
        for award in new_awards:  # primary keys come back on PostgreSQL and SQLite ≥ 3.35
            self.entries.append(AwardEntry(award=award, seq=1, kind=AwardEntry.Kind.EARNED,
                                           amount=award.value, funded=award.funded,
                                           note=award.detail, created_at=self.now))  # fmt: skip
        Award.objects.bulk_update(
            self.touched.values(), ["status", "value", "funded", "detail", "reason", "changed_at"],
            batch_size=1000,
        )  # fmt: skip
        AwardEntry.objects.bulk_create(self.entries, batch_size=1000)


def _new_award(verdict: Verdict, value: Decimal, funded: bool, now: dt.datetime) -> Award:
    return Award(
        rule=verdict.rule,
        person=verdict.person,
        goal=verdict.goal,
        period_start=verdict.goal.period_start,
        value=value,
        status=Award.Status.EARNED,
        funded=funded,
        detail=_clip(verdict.detail),
        earned_at=now,
        changed_at=now,
    )


@transaction.atomic
def rule_activate(
    *,
    rule: Rule,
    today: dt.date | None = None,
    by: User | None = None,
    over_budget: bool = False,
) -> BudgetCheck:
    """Make ``rule`` active after checking its maximum exposure against the program's budget.

    Refuses (``OverBudgetError``) when committed + exposure exceeds the budget of the current
    budget period or of one ahead that already has goals, unless ``over_budget`` — then the
    override and the check are recorded on the rule.
    """
    check = rule_exposure(rule, today or today_in_org())
    if check.over and not over_budget:
        raise OverBudgetError(check)
    rule.status = Rule.Status.ACTIVE
    rule.activated_at = timezone.now()
    rule.activated_by = by
    rule.over_budget_override = bool(check.over)
    rule.activation_note = check.summary()
    rule.save(
        update_fields=[
            "status", "activated_at", "activated_by", "over_budget_override", "activation_note",
        ]
    )  # fmt: skip
    return check


def rule_retire(*, rule: Rule) -> Rule:
    """Stop a rule from earning; its awards stay in the ledger as they are."""
    rule.status = Rule.Status.RETIRED
    rule.save(update_fields=["status"])
    return rule
