"""``pacesetter realism``: each person goal of a period with its chance of being met, from
the rep's own history, flagged unlikely or too easy.

pacesetter realism [--period 2026-11] [--unit NAME] [--person EMAIL] [--today YYYY-MM-DD]
                   [--flagged] [--format table|json|csv]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pacesetter.console.arguments import (
    add_when_arguments,
    person_named,
    unit_named,
    when,
)
from pacesetter.org.models import OrgSettings
from pacesetter.tabular import FORMATS, render
from pacesetter.tracking.realism import goal_realism
from pacesetter.tracking.selectors import goals_overlapping, period_label, scope_of_unit

COLUMNS = ["person", "metric", "period", "target", "chance", "verdict", "explanation"]
VERDICT_ORDER = {"unlikely": 0, "too_easy": 1, "realistic": 2, "not_enough_history": 3}


class Command(BaseCommand):
    help = "The chance of meeting each goal of a period, from the rep's own history."

    def add_arguments(self, parser: CommandParser) -> None:
        add_when_arguments(parser, "2026-11, 2026-W47, 2026-Q4 (default: this month)")
        parser.add_argument("--unit", metavar="NAME", help="a unit, its sub-units and members")
        parser.add_argument("--person", metavar="EMAIL", help="one person (e-mail or login)")
        parser.add_argument("--flagged", action="store_true", help="only unlikely or too easy")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        cal, today, period = when(options)
        people = None
        if options["person"]:
            person = person_named(options["person"])
            people = [person.pk]
        if options["unit"]:
            unit = unit_named(options["unit"])
            people, _units = scope_of_unit(unit.pk, period.start, period.end)
        goals = goals_overlapping(period.start, period.end, person_ids=people).filter(
            person__isnull=False
        )
        found = goal_realism(list(goals), today)
        results = sorted(
            found.values(),
            key=lambda r: (VERDICT_ORDER[r.verdict], r.percent or 0, r.person.full_name),
        )
        total, flagged = len(results), sum(r.realism.flagged for r in results)
        if options["flagged"]:
            results = [r for r in results if r.realism.flagged]
        rows = [
            {
                "person": r.person.full_name,
                "email": r.person.email,
                "metric": r.goal.metric,
                "period": period_label(r.goal, cal),
                "kind": r.goal.kind,
                "target": r.goal.target,
                "chance": None if r.percent is None else f"{r.percent} %",
                "verdict": r.realism.verdict_label,
                "met": r.realism.met,
                "samples": r.realism.samples,
                "explanation": r.explanation,
            }
            for r in results
        ]
        org = OrgSettings.load()
        title = (
            f"{period.label} on {today}: {total} goals, {flagged} flagged "
            f"(unlikely below {org.realism_unlikely_below} %, "
            f"too easy above {org.realism_too_easy_above} %)"
        )
        document = {
            "period": period.label,
            "today": today,
            "thresholds": {
                "unlikely_below": org.realism_unlikely_below,
                "too_easy_above": org.realism_too_easy_above,
            },
            "goals": rows,
        }
        self.stdout.write(
            render(rows, options["format"], columns=COLUMNS, document=document, title=title)
        )
