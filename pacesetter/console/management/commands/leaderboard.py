"""``pacesetter leaderboard``: the standings of each competition goal (G9), fair by default."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.arguments import (
    add_when_arguments,
    plain_number,
    unit_named,
    when,
)
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.tabular import FORMATS, render, table
from pacesetter.tracking.collective import unit_goals_of_kind
from pacesetter.tracking.leaderboard import BASES, COHORTS, competition_standings
from pacesetter.tracking.selectors import period_label

STANDING_COLUMNS = ["rank", "rep", "value", "target", "percent", "note"]


class _Competition(TypedDict):
    unit: str
    metric: str
    period: str
    standings: list[dict[str, str | Decimal | None]]


class Command(BaseCommand):
    help = (
        "Competition standings of a period: by percent of each rep's own goal (fair to new "
        "reps) or by raw totals, optionally within tenure bands."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_when_arguments(parser, "2026-11, 2026-W47, 2026-Q4 or 2026 (default: month)")
        parser.add_argument("--unit", metavar="NAME", help="a unit and the units below it")
        parser.add_argument("--basis", choices=BASES, default="percent",
                            help="percent of own goal (default) or raw totals")  # fmt: skip
        parser.add_argument("--cohort", choices=COHORTS, help="rank within tenure bands")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        cal, today, period = when(options)
        unit_id = None
        if options["unit"]:
            unit = unit_named(options["unit"])
            unit_id = unit.pk
        basis, cohort = options["basis"], options["cohort"]
        goals = unit_goals_of_kind(Goal.Kind.COMPETITION, period.start, period.end, unit_id=unit_id)
        units = dict(Metric.objects.values_list("name", "unit"))
        competitions: list[_Competition] = []
        for goal in goals:
            measure = units.get(goal.metric, Metric.Unit.COUNT)
            try:
                standings = competition_standings(goal, today, basis=basis, cohort=cohort)
            except ValueError as error:
                raise CommandError(str(error)) from None
            rows = [
                {
                    "cohort": s.cohort,
                    "rank": s.rank_label,
                    "rep": s.person.full_name,
                    "email": s.person.email,
                    "value": plain_number(s.value, measure),
                    "target": plain_number(s.target, measure),
                    "percent": s.percent,
                    "note": s.note,
                }
                for s in standings
            ]
            assert goal.unit is not None  # a competition is a team's goal
            competitions.append(
                {
                    "unit": goal.unit.name,
                    "metric": goal.metric,
                    "period": period_label(goal, cal),
                    "standings": rows,
                }
            )
        how = "percent of own goal" if basis == "percent" else "raw totals"
        if cohort:
            how += f", within {cohort} bands"
        fmt = options["format"]
        columns = (["cohort"] if cohort else []) + STANDING_COLUMNS
        if fmt == "json":
            document = {
                "period": period.label,
                "today": today,
                "basis": basis,
                "cohort": cohort,
                "competitions": competitions,
            }
            self.stdout.write(render([], fmt, document=document))
        elif fmt == "csv":
            rows = [
                {"unit": c["unit"], "metric": c["metric"], "period": c["period"], **s}
                for c in competitions
                for s in c["standings"]
            ]
            self.stdout.write(render(rows, fmt, columns=["unit", "metric", "period", *columns]))
        else:
            self.stdout.write(
                f"{period.label} on {today}: {len(competitions)} competitions, ranked by {how}"
            )
            for c in competitions:
                self.stdout.write("")
                self.stdout.write(f"{c['unit']} · {c['metric']} {c['period']}")
                self.stdout.write(table(c["standings"], columns))
