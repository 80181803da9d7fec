"""``pacesetter collective``: each collective goal (M9), met or not, member by member."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter import planning
from pacesetter.console.arguments import (
    add_when_arguments,
    plain_number,
    unit_named,
    when,
)
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.tabular import FORMATS, render, table
from pacesetter.tracking.collective import CollectiveStatus, collective_status, unit_goals_of_kind
from pacesetter.tracking.selectors import period_label

MEMBER_COLUMNS = [
    "member", "state", "actual", "target", "attainment", "short_by", "needed_per_day", "note",
]  # fmt: skip
CSV_COLUMNS = ["unit", "metric", "period", "collective_met", *MEMBER_COLUMNS]


class Command(BaseCommand):
    help = (
        "Collective goals of a period: met only when every member meets their own goal; "
        "who is short, by how much, and what they need per working day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_when_arguments(parser, "2026-11, 2026-W47, 2026-Q4 or 2026 (default: month)")
        parser.add_argument("--unit", metavar="NAME", help="a unit and the units below it")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        cal, today, period = when(options)
        unit_id = None
        if options["unit"]:
            unit = unit_named(options["unit"])
            unit_id = unit.pk
        goals = unit_goals_of_kind(Goal.Kind.COLLECTIVE, period.start, period.end, unit_id=unit_id)
        try:
            found = collective_status(goals, today)
        except ValueError as error:
            raise CommandError(str(error)) from None
        statuses = [found[g.pk] for g in goals]
        collectives = [_collective(s, cal) for s in statuses]
        met = sum(s.met for s in statuses)
        goals_text = (
            "1 collective goal" if len(statuses) == 1 else f"{len(statuses)} collective goals"
        )
        title = f"{period.label} on {today}: {goals_text}, {met} met"
        fmt = options["format"]
        if fmt == "json":
            document = {"period": period.label, "today": today, "collectives": collectives}
            self.stdout.write(render([], fmt, document=document))
        elif fmt == "csv":
            rows = [
                {**{k: c[k] for k in ("unit", "metric", "period")}, "collective_met": c["met"], **m}
                for c in collectives
                for m in c["members"]
            ]
            self.stdout.write(render(rows, fmt, columns=CSV_COLUMNS))
        else:
            self.stdout.write(title)
            for c, status in zip(collectives, statuses, strict=True):
                self.stdout.write("")
                self.stdout.write(_heading(c, status))
                self.stdout.write(table(c["members"], MEMBER_COLUMNS))


def _collective(status: CollectiveStatus, cal: planning.WorkCalendar) -> dict[str, Any]:
    goal = status.goal
    total = status.team_total
    team_goal = status.team_goal
    unit = total.metric.unit if total else Metric.Unit.COUNT
    return {
        "unit": status.unit.name,
        "metric": goal.metric,
        "period": period_label(goal, cal),
        "met": status.met,
        "summary": status.summary,
        "team_total": plain_number(total.actual, unit) if total else None,
        "team_total_target": plain_number(goal.target, unit),
        "team_goal_target": plain_number(team_goal.target, unit) if team_goal else None,
        "members": [
            {
                "member": m.person.full_name,
                "email": m.person.email,
                "state": m.state_label,
                "actual": plain_number(m.progress.actual, unit) if m.progress else None,
                "target": plain_number(m.goal.target, unit) if m.goal else None,
                "attainment": m.progress.attainment if m.progress else None,
                "short_by": plain_number(m.short_by, unit) if m.state == "short" else None,
                "needed_per_day": m.needed_per_day,
                "note": "; ".join(str(n) for n in (m.exclusion_reason, m.note) if n),
            }
            for m in status.members
        ],
    }


def _heading(c: dict[str, Any], status: CollectiveStatus) -> str:
    verdict = "MET" if c["met"] else "NOT MET"
    line = f"{c['unit']} · {c['metric']} {c['period']}: {verdict} — {c['summary']}"
    if status.team_total is not None:
        line += f" · team total {status.team_total.actual_text} of {status.team_total.target_text}"
    if status.team_goal is not None:
        line += f" (team goal {status.team_goal.target_text})"
    return line
