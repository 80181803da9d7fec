"""``pacesetter export plan``: a plan as the sales-plan workbook (XLSX) to hand out.

pacesetter export plan FY27@2 --xlsx fy27.xlsx                   # every team, a sheet each
pacesetter export plan FY27 --xlsx alpha.xlsx --unit "Team Alpha" # one team's workbook
pacesetter export plan FY27 --xlsx fy27.xlsx --rate demo:deal=0.5 --rate call:demo=0.3 \
    --deal-size 1000                                              # activity plan at these rates

Edit the yellow cells and read the file back with ``pacesetter plan import-workbook FILE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.plan.arguments import decimal_arg
from pacesetter.goals.models import Plan
from pacesetter.goals.selectors import plan_by_label
from pacesetter.org.models import Unit
from pacesetter.org.selectors import subtree_ids
from pacesetter.planning import parse_conversion
from pacesetter.planning.stretch import DEFAULT_STRETCH_PERCENT
from pacesetter.tabular import FORMATS, render
from pacesetter.workbook import plan_contents, plan_workbook_bytes


class Command(BaseCommand):
    help = (
        "Export a plan as an Excel workbook: monthly quotas per team and rep, the activity "
        "plan (reverse funnel), stretch tiers and incentives, formatted for printing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["plan"], help="what to export")
        parser.add_argument("plan", metavar="NAME[@VERSION]", help="the plan (default: newest)")
        parser.add_argument("--xlsx", type=Path, required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--unit", metavar="NAME", help="only this team (or the teams below this unit)"
        )
        parser.add_argument(
            "--rate",
            action="append",
            default=[],
            metavar="FROM:TO=RATE",
            help="activity plan at these rates (from the deal upward) instead of history",
        )
        parser.add_argument("--deal-size", type=decimal_arg, help="average deal for --rate")
        parser.add_argument(
            "--stretch-percent",
            type=decimal_arg,
            default=DEFAULT_STRETCH_PERCENT,
            help="the stretch tier, in percent of the quota (default 125)",
        )
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["xlsx"]
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"{out}: the workbook is an .xlsx file; name it *.xlsx")
        try:
            for rate in options["rate"]:
                parse_conversion(rate)
            if options["stretch_percent"] <= 100:
                raise ValueError("--stretch-percent must be more than 100")
            plan = plan_by_label(options["plan"])
            unit_ids = subtree_ids([_unit(options["unit"]).pk]) if options["unit"] else None
            data = plan_workbook_bytes(
                plan,
                unit_ids=unit_ids,
                rates=tuple(options["rate"]),
                deal_size=options["deal_size"],
                stretch_percent=options["stretch_percent"],
            )
        except (ValueError, Plan.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        out.write_bytes(data)
        contents = plan_contents(plan, unit_ids)
        rows = [
            {
                "team": team.unit.name,
                "reps": len(team.reps),
                "quotas": sum(r.year for r in team.reps),
                "team_target": sum(team.target.values()),
            }
            for team in contents.teams
        ]
        title = (
            f"Wrote {out}: plan {plan.label} ({plan.get_status_display()}, FY{plan.fiscal_year})"
            f", {len(rows)} team sheet(s)"
        )
        document = {"file": str(out), "plan": plan.label, "status": plan.status, "teams": rows}
        self.stdout.write(render(rows, options["format"], document=document, title=title))


def _unit(name: str) -> Unit:
    units = list(Unit.objects.filter(name=name))
    if not units:
        raise ValueError(f"no unit named {name!r}")
    if len(units) > 1:
        raise ValueError(f"several units are named {name!r}; rename one")
    return units[0]
