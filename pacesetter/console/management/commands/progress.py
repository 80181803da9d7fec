"""``pacesetter progress``: every goal of a period with its pace and status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.arguments import (
    add_when_arguments,
    person_named,
    unit_named,
    when,
)
from pacesetter.presentation import period_label
from pacesetter.tabular import FORMATS, render
from pacesetter.tracking.org_progress import org_progress, rows_for_attention
from pacesetter.tracking.selectors import goals_overlapping, scope_of_unit

COLUMNS = [
    "assignee", "metric", "period", "target", "actual", "attainment",
    "expected", "projected", "status", "needed_per_day", "notes",
]  # fmt: skip


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


class Command(BaseCommand):
    help = "Progress of every goal in a period: actual, pace, projection, status, needed per day."

    def add_arguments(self, parser: CommandParser) -> None:
        add_when_arguments(parser, "2026-11, 2026-W47, 2026-Q4 or 2026 (default: month)")
        parser.add_argument("--unit", metavar="NAME", help="a unit, its sub-units and members")
        parser.add_argument("--person", metavar="EMAIL", help="one person (e-mail or login)")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        cal, today, period = when(options)
        people: list[int] | None = None
        units: list[int] | None = None
        if options["person"]:
            person = person_named(options["person"])
            people, units = [person.pk], []
        if options["unit"]:
            unit = unit_named(options["unit"])
            people, units = scope_of_unit(unit.pk, period.start, period.end)
        goals = goals_overlapping(
            period.start, period.end, person_ids=people, unit_ids=units, ordered=False
        )
        try:  # judged set-wise: a whole org's goals without a model object per goal
            results = rows_for_attention(org_progress(goals, today).rows())
        except ValueError as error:
            raise CommandError(str(error)) from None
        rows = [
            {
                "assignee": r.assignee,
                "metric": r.metric.name,
                "period": period_label(r.period_kind, r.period_start, r.period_end, cal),
                "kind": r.goal_kind,
                "target": r.target,
                "actual": _cents(r.actual),
                "attainment": r.attainment,
                "expected": _cents(r.expected),
                "projected": _cents(r.projected),
                "status": r.status,
                "needed_per_day": r.needed_per_day,
                "notes": "; ".join(map(str, r.notes)),
            }
            for r in results
        ]
        statuses = ("behind", "at_risk", "on_track", "achieved")
        counts = {s: sum(r.status == s for r in results) for s in statuses}
        title = f"{period.label} on {today}: {len(rows)} goals — " + ", ".join(
            f"{n} {s.replace('_', ' ')}" for s, n in counts.items()
        )
        self.stdout.write(
            render(
                rows,
                options["format"],
                document={"period": period.label, "today": today, "goals": rows},
                title=title,
                columns=COLUMNS,
            )
        )
