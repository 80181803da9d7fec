"""``pacesetter plan``: the planning engine from the command line.

pacesetter plan funnel --revenue 4000 --deal-size 1000 --rate demo:deal=0.5 --rate call:demo=0.3
pacesetter plan waterfall --from 50 --to 100 --step 10 --every week --start 2026-12-07
pacesetter plan cascade --annual 12000000 --year 2027 --over-assign 1.1 --name FY27
pacesetter plan list | show NAME[@V] | compare A B | activate NAME[@V] [--yes]
pacesetter plan import-workbook FILE [--dry-run]   (an edited `pacesetter export plan` workbook)

The actions' work is in ``pacesetter.console.plan``: ``goals`` (funnel, waterfall, stretch)
and ``versions`` (cascade, replan and the stored plans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.plan import Table, goals, versions
from pacesetter.console.plan.arguments import decimal_arg, drag_arg, ramp_arg, seasonality_arg
from pacesetter.goals.models import Plan
from pacesetter.tabular import FORMATS, render

ACTIONS: dict[str, Callable[[dict[str, Any]], Table]] = {
    "funnel": goals.funnel,
    "waterfall": goals.waterfall,
    "stretch": goals.stretch,
    "cascade": versions.cascade,
    "replan": versions.replan,
    "show": versions.show,
    "compare": versions.compare,
    "list": versions.listing,
    "activate": versions.activate,
    "import-workbook": versions.import_workbook,
}


class Command(BaseCommand):
    help = "Plan goals: reverse funnel, waterfall steps, the annual cascade, and plan versions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def add(name: str, help_text: str) -> CommandParser:
            p = sub.add_parser(name, help=help_text, description=help_text)
            p.add_argument("--format", choices=FORMATS, default="table")
            return p

        p = add("funnel", "Activities needed for a revenue goal (M4 reverse funnel).")
        p.add_argument("--revenue", type=decimal_arg, required=True)
        p.add_argument("--deal-size", type=decimal_arg, help="average deal (default: history)")
        p.add_argument(
            "--rate",
            action="append",
            default=[],
            metavar="FROM:TO=RATE",
            help="conversion, from the deal upward: demo:deal=0.5 then call:demo=0.3",
        )
        p.add_argument(
            "--person", metavar="EMAIL", help="use this rep's history (e-mail or login name)"
        )
        p.add_argument("--per", choices=["month", "week", "day"], default="month")
        p.add_argument("--period", help="the month the goal is for (default: this month)")
        p.add_argument("--history-months", type=int, default=6)

        p = add("waterfall", "Step a target up gradually (M2).")
        p.add_argument("--from", dest="baseline", type=decimal_arg, required=True)
        p.add_argument("--to", dest="target", type=decimal_arg, required=True)
        how = p.add_mutually_exclusive_group(required=True)
        how.add_argument("--step", type=decimal_arg, help="fixed step")
        how.add_argument("--percent", type=decimal_arg, help="compounding percent step")
        how.add_argument("--steps", type=int, help="number of equal steps")
        p.add_argument("--every", choices=["week", "month"], default="week")
        p.add_argument("--start", type=dt.date.fromisoformat, help="first step (next period)")
        p.add_argument("--person", metavar="EMAIL", help="save the steps as this rep's goals")
        p.add_argument("--unit", metavar="NAME", help="save the steps as this unit's goals")
        p.add_argument("--metric", help="the metric the goals measure, e.g. emails_sent")

        p = add("cascade", "Annual target → monthly goals for every unit and rep (M1).")
        p.add_argument("--annual", type=decimal_arg, required=True)
        p.add_argument("--year", type=int, required=True, help="fiscal year (the year it ends)")
        p.add_argument(
            "--seasonality",
            type=seasonality_arg,
            default="learned",
            help="learned (from past revenue), flat, or a file of 12 weights",
        )
        p.add_argument(
            "--over-assign",
            type=decimal_arg,
            default=Decimal("1"),
            help="reps' quotas add up to this times their team's (e.g. 1.1)",
        )
        p.add_argument("--ramp", type=ramp_arg, help="percent by month of tenure: 0,25,50,75,100")
        p.add_argument("--drag", type=drag_arg, help="training drag per new hire, e.g. 10:2")
        p.add_argument("--name", help="scenario name (default FY<year>); saved as a new version")
        p.add_argument("--activate", action="store_true", help="make it the active plan")
        p.add_argument("--by", metavar="LOGIN", help="the admin activating it (for the history)")
        p.add_argument("--level", choices=["company", "unit", "team", "person", "seat"],
                       help="show only lines of this level")  # fmt: skip

        p = add("replan", "Re-plan mid-year: closed months at actuals, the rest re-spread.")
        p.add_argument("plan", metavar="NAME[@VERSION]")
        p.add_argument("--as-of", type=dt.date.fromisoformat, help="default: today")
        p.add_argument("--level", choices=["company", "unit", "team", "person", "seat"])

        p = add("stretch", "Stretch tiers (M7): the tier of a target, or offers to eligible reps.")
        p.add_argument("--target", type=decimal_arg, help="just compute the tier of this target")
        p.add_argument("--month", help="offer tiers on the reps' goals of this month (YYYY-MM)")
        p.add_argument("--unit", metavar="NAME", help="only reps in this unit and below")
        p.add_argument("--percent", type=decimal_arg, default=Decimal("125"))
        p.add_argument("--periods", type=int, default=3, help="months met in a row to qualify")
        p.add_argument("--save", action="store_true", help="create the eligible reps' tiers")

        p = add("show", "Print a stored plan's lines.")
        p.add_argument("plan", metavar="NAME[@VERSION]")
        p.add_argument("--level", choices=["company", "unit", "team", "person", "seat"])

        p = add("compare", "Two plans side by side, line by line.")
        p.add_argument("a", metavar="NAME_A[@V]")
        p.add_argument("b", metavar="NAME_B[@V]")
        p.add_argument("--changed", action="store_true", help="only lines that differ")

        add("list", "Stored plans and their status.")

        p = add(
            "activate",
            "Show what making a plan active does to each month's goals; --yes does it. Goals "
            "of closed months are kept (see `pacesetter period reopen`).",
        )
        p.add_argument("plan", metavar="NAME[@VERSION]")
        p.add_argument("--yes", action="store_true", help="activate it, as previewed")
        p.add_argument("--by", metavar="LOGIN", help="the admin activating it (for the history)")

        p = add("import-workbook", "Read an edited plan workbook back as a new draft version.")
        p.add_argument("file", type=Path, metavar="FILE", help="the edited .xlsx workbook")
        p.add_argument("--dry-run", action="store_true", help="check and list changes only")
        p.add_argument("--max-bytes", type=int, help="refuse larger files")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            table = ACTIONS[options["action"]](options)
        except (ValueError, Plan.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            render(
                table.rows,
                options["format"],
                columns=table.columns,
                document=table.document,
                title=table.title,
            )
        )
        if table.error:
            raise CommandError(table.error)
