"""``pacesetter rewards``: compute the awards of a period and print the payout report.

pacesetter rewards [--period 2026-11|2026-Q4|2026-W14|2026] [--unit NAME] [--person EMAIL]
                   [--format table|json|csv|xlsx] [--output FILE] [--no-compute]
pacesetter rewards rules [--format table|json|csv]
pacesetter rewards activate RULE_ID [--over-budget]

Computing is idempotent (run it from cron after the nightly import): it appends to the award
ledger only what changed since the last run. ``--no-compute`` only reads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter import planning
from pacesetter.console.arguments import person_named, unit_named
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.rewards.models import AwardEntry, Rule
from pacesetter.rewards.selectors import (
    PayoutReport,
    payout_report,
    reward_text,
    rule_exposure,
    trigger_text,
)
from pacesetter.rewards.services import (
    ComputeResult,
    OverBudgetError,
    awards_compute,
    rule_activate,
)
from pacesetter.rewards.spreadsheet import write_workbook
from pacesetter.tabular import FORMATS, render
from pacesetter.tracking.selectors import period_label, scope_of_unit

LINE_COLUMNS = [
    "person", "email", "program", "rule", "reward", "goal", "period", "target", "entry",
    "amount", "funded", "note",
]  # fmt: skip
PERSON_COLUMNS = ["person", "email", "earned", "reversed", "cash", "non_cash", "total",
                  "unfunded", "rewards"]  # fmt: skip
BUDGET_COLUMNS = ["program", "period", "budget", "committed", "remaining", "unfunded_awards",
                  "unfunded_value"]  # fmt: skip
RULE_COLUMNS = ["id", "program", "rule", "status", "trigger", "reward", "budget_period",
                "budget", "committed", "could_earn", "exposure", "check"]  # fmt: skip


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day (YYYY-MM-DD)") from None


_day.__name__ = "day"


class Command(BaseCommand):
    help = "Compute the rewards earned in a period and print the payout report and budgets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="2026-11, 2026-Q4, 2026-W14 or 2026 (default: month)")
        parser.add_argument("--unit", metavar="NAME", help="only the people of this unit")
        parser.add_argument("--person", metavar="EMAIL", help="only this person (e-mail/login)")
        parser.add_argument("--today", type=_day, help="pretend it is this day (YYYY-MM-DD)")
        parser.add_argument("--format", choices=(*FORMATS, "xlsx"), default="table")
        parser.add_argument("--output", metavar="FILE", help="write here instead of printing")
        parser.add_argument("--no-compute", action="store_true", help="only print, as it is")
        sub = parser.add_subparsers(dest="action", metavar="ACTION")
        rules = sub.add_parser("rules", help="list the rules with their exposure vs the budget")
        rules.add_argument("--today", type=_day, dest="rules_today")
        rules.add_argument("--format", choices=FORMATS, default="table", dest="rules_format")
        activate = sub.add_parser("activate", help="activate a rule after the budget check")
        activate.add_argument("rule_id", type=int, metavar="RULE_ID")
        activate.add_argument(
            "--over-budget", action="store_true", help="activate anyway (the override is recorded)"
        )
        activate.add_argument("--today", type=_day, dest="activate_today")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "rules":
            return self.rules(options["rules_today"] or today_in_org(), options["rules_format"])
        if action == "activate":
            today = options["activate_today"] or today_in_org()
            return self.activate(options["rule_id"], today, options["over_budget"])
        return self.report(options)

    # --- the payout report -------------------------------------------------------------------

    def report(self, options: dict[str, Any]) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError("--format xlsx writes a workbook: give --output FILE.xlsx")
        cal = work_calendar()
        today = options["today"] or today_in_org()
        try:
            period = (
                planning.parse_period(options["period"], cal)
                if options["period"]
                else planning.month_of(today)
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        people = self._people(options, period)
        computed = None if options["no_compute"] else awards_compute(period=period, today=today)
        report = payout_report(period.start, period.end, person_ids=people)
        lines = _line_rows(report, cal)
        totals = _person_rows(report)
        budgets = _budget_rows(report)
        title = f"Rewards for goals starting in {period.label}"
        if computed is not None:
            title += f" (computed on {today}: {computed.summary()})"
        if fmt == "xlsx":
            write_workbook(
                output,
                {
                    "Payout": (LINE_COLUMNS, lines),
                    "People": (PERSON_COLUMNS, totals),
                    "Budgets": (BUDGET_COLUMNS, budgets),
                },
            )
            self.stdout.write(f"{title}\nwrote {len(lines)} line(s) to {output}")
            return
        if fmt == "table":
            text = "\n\n".join(
                [
                    render(lines, fmt, columns=LINE_COLUMNS, title=title)
                    if lines
                    else f"{title}\nno rewards earned",
                    render(totals, fmt, columns=PERSON_COLUMNS, title="Per person"),
                    render(budgets, fmt, columns=BUDGET_COLUMNS, title="Budgets"),
                ]
            )
        else:
            document = {
                "period": period.label,
                "today": today,
                "computed": _counts(computed) if computed else None,
                "lines": lines,
                "people": totals,
                "budgets": budgets,
            }
            text = render(lines, fmt, columns=LINE_COLUMNS, document=document)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"{title}\nwrote {len(lines)} line(s) to {output}")
        else:
            self.stdout.write(text)

    def _people(self, options: dict[str, Any], period: planning.Period) -> list[int] | None:
        people = None
        if options["person"]:
            people = [person_named(options["person"]).pk]
        if options["unit"]:
            unit = unit_named(options["unit"])
            in_unit = scope_of_unit(unit.pk, period.start, period.end)[0]
            people = in_unit if people is None else [p for p in people if p in in_unit]
        return people

    # --- rules -------------------------------------------------------------------------------

    def rules(self, today: dt.date, fmt: str) -> None:
        rows = []
        for rule in Rule.objects.select_related("program", "reward").order_by("program", "id"):
            check = rule_exposure(rule, today)
            now = check.periods[0]
            symbol = check.symbol
            rows.append(
                {
                    "id": rule.pk,
                    "program": rule.program.name,
                    "rule": rule.name,
                    "status": rule.status + (" (over budget)" if rule.over_budget_override else ""),
                    "trigger": trigger_text(rule),
                    "reward": reward_text(rule, symbol),
                    "budget_period": now.period.label,
                    "budget": now.budget,
                    "committed": now.committed,
                    "could_earn": now.could_earn,
                    "exposure": now.exposure,
                    "check": (
                        "over budget in " + ", ".join(p.period.label for p in check.over)
                        if check.over
                        else "within budget"
                    ),
                }
            )
        title = f"Rules on {today}: exposure in the current budget period"
        self.stdout.write(render(rows, fmt, columns=RULE_COLUMNS, title=title))

    def activate(self, rule_id: int, today: dt.date, over_budget: bool) -> None:
        rule = Rule.objects.select_related("program", "reward").filter(pk=rule_id).first()
        if rule is None:
            raise CommandError(f"no rule with id {rule_id} (see `pacesetter rewards rules`)")
        try:
            check = rule_activate(rule=rule, today=today, over_budget=over_budget)
        except OverBudgetError as error:
            raise CommandError(
                f"not activated — {error.check.summary()}\n"
                "Lower the reward, raise the budget, or pass --over-budget to activate anyway "
                "(the override is recorded on the rule)."
            ) from None
        verdict = "activated OVER BUDGET (override recorded)" if check.over else "activated"
        self.stdout.write(f"{verdict} — {check.summary()}")


def _counts(result: ComputeResult) -> dict[str, int]:
    names = ("earned", "unfunded", "reversed", "funded_later", "unchanged")
    return {name: getattr(result, name) for name in names}


def _line_rows(report: PayoutReport, cal: planning.WorkCalendar) -> list[dict[str, Any]]:
    return [
        {
            "person": line.person.full_name,
            "email": line.person.email,
            "program": line.rule.program.name,
            "rule": line.rule.name,
            "reward": line.rule.reward.name,
            "goal": line.goal_name,
            "period": period_label(line.award.goal, cal),
            "target": line.award.goal.target,
            "entry": line.entry.kind,
            "amount": line.entry.amount,
            "funded": _funded(line.entry),
            "note": line.entry.note,
        }
        for line in report.lines
    ]


def _funded(entry: AwardEntry) -> str:
    if entry.funded:
        return "yes"
    return "no (over budget)" if entry.kind == AwardEntry.Kind.EARNED else "no"


def _person_rows(report: PayoutReport) -> list[dict[str, Any]]:
    return [
        {
            "person": p.person.full_name,
            "email": p.person.email,
            "earned": p.earned,
            "reversed": p.reversed,
            "cash": p.cash,
            "non_cash": p.non_cash,
            "total": p.total,
            "unfunded": p.unfunded,
            "rewards": ", ".join(p.rewards),
        }
        for p in report.people
    ]


def _budget_rows(report: PayoutReport) -> list[dict[str, Any]]:
    return [
        {
            "program": b.program.name,
            "period": b.period.label,
            "budget": b.budget,
            "committed": b.committed,
            "remaining": b.remaining,
            "unfunded_awards": b.unfunded_count,
            "unfunded_value": b.unfunded_value,
        }
        for b in report.budgets
    ]
