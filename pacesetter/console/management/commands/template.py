"""``pacesetter template weekly``: the weekly numbers workbook of a team for a week.

pacesetter template weekly --team "Team Alpha" --week 2026-W48 --out alpha-w48.xlsx
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.ledger.importers.template import (
    parse_week,
    template_filename,
    template_people,
    weekly_template_bytes,
)
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Unit
from pacesetter.org.selectors import today_in_org
from pacesetter.planning import week_parts


class Command(BaseCommand):
    help = (
        "Write a spreadsheet template: 'weekly' is a team's weekly numbers (manual-entry "
        "metrics such as pd_events), to fill in and read back with `pacesetter import entries`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("template", choices=["weekly"], help="which template")
        parser.add_argument("--team", required=True, help="the team (or any unit) by name")
        parser.add_argument("--week", help="2026-W48 or any date in the week (default: this week)")
        parser.add_argument("--out", type=Path, help="the .xlsx file to write (default: "
                            "weekly-numbers-TEAM-WEEK.xlsx)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            week = parse_week(options["week"] or today_in_org().isoformat())
        except ValueError as error:
            raise CommandError(str(error)) from None
        team = _unit(options["team"])
        out: Path = options["out"] or Path(template_filename(team, week))
        if out.suffix.lower() != ".xlsx":
            raise CommandError(f"{out}: the template is an .xlsx workbook; name it *.xlsx")
        people = len(template_people(team, week))
        metrics = Metric.objects.filter(source=Metric.Source.ENTRIES).count()
        if not metrics:
            raise CommandError("there is no manual-entry metric (Metric.source = entries)")
        out.write_bytes(weekly_template_bytes(team, week).getvalue())
        self.stdout.write(
            f"Wrote {out}: {team.name}, week {week.label} ({week.start.isoformat()}), "
            f"{people} people × {metrics} metrics."
        )
        if len(week_parts(week)) > 1:
            (_, boundary), _ = week_parts(week)
            self.stdout.write(
                f"The week straddles two months: one row per person and metric for the days "
                f"before {boundary.isoformat()} and one from it on."
            )


def _unit(name: str) -> Unit:
    units = list(Unit.objects.filter(name=name).select_related("parent"))
    if not units:
        raise CommandError(f"no unit is named {name!r}")
    if len(units) > 1:
        where = ", ".join(f"{u.name} in {u.parent}" for u in units)
        raise CommandError(f"several units are named {name!r} ({where}); rename one")
    return units[0]
