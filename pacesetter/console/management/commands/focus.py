"""``pacesetter focus``: a rep's focus area (the funnel stage furthest below the team's
median) and the weekly goal proposed for it; ``--accept`` sets the goal (once).

pacesetter focus --person EMAIL [--accept] [--today YYYY-MM-DD] [--format table|json|csv]
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.arguments import person_named
from pacesetter.goals.focus import FocusSuggestion, focus_accept, focus_suggestion
from pacesetter.org.selectors import today_in_org
from pacesetter.tabular import FORMATS, render

COLUMNS = ["stage", "own", "team_median", "shortfall", "own_counts", "peers"]


def _share(value: Any) -> str:
    return "" if value is None else f"{value * 100:.1f} %"


def _title(s: FocusSuggestion) -> str:
    who = f"{s.person.full_name}"
    if s.tenure_months is not None:
        who += f" ({'junior, ' if s.junior else ''}{s.tenure_months} months)"
    window = f"{s.window[0]} to {s.window[1]}"
    if s.target is None or s.focus is None or s.week is None:
        return f"{who}, {window}: no focus goal — {s.reason}"
    return (
        f"{who}, {window}: focus {s.focus.name} — {s.reason}\n"
        f"proposed: {s.metric} ≥ {s.target} in {s.week.label} (priority {s.priority}), "
        f"a weekly average of {s.weekly_average:.1f} + 10 %"
    )


class Command(BaseCommand):
    help = "A rep's focus area (weakest funnel stage against the team) and the goal for it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, metavar="EMAIL", help="e-mail or login")
        parser.add_argument("--accept", action="store_true", help="set the proposed goal")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="pretend it is this day")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        person = person_named(options["person"])
        today = options["today"] or today_in_org()
        suggestion = focus_suggestion(person, today)
        accepted = None
        if options["accept"]:
            try:
                goal, created = focus_accept(suggestion=suggestion)
            except ValueError as error:
                raise CommandError(str(error)) from None
            accepted = {"goal": goal.pk, "created": created}
        rows = [
            {
                "stage": s.name,
                "own": _share(s.own),
                "team_median": _share(s.team_median),
                "shortfall": _share(s.shortfall),
                "own_counts": f"{s.own_to} of {s.own_from}",
                "peers": s.peers,
            }
            for s in suggestion.stages
        ]
        proposal = None
        if suggestion.target is not None and suggestion.week is not None:
            proposal = {
                "metric": suggestion.metric,
                "week": suggestion.week.label,
                "week_start": suggestion.week.start,
                "target": suggestion.target,
                "priority": suggestion.priority,
                "weekly_average": (suggestion.weekly_average or Decimal(0)).quantize(
                    Decimal("0.01")
                ),
                "note": suggestion.note,
                "already_set": suggestion.existing is not None,
            }
        document = {
            "person": person.full_name,
            "email": person.email,
            "junior": suggestion.junior,
            "tenure_months": suggestion.tenure_months,
            "window": {"start": suggestion.window[0], "end": suggestion.window[1]},
            "stages": rows,
            "focus": suggestion.focus.name if suggestion.focus else None,
            "reason": suggestion.reason,
            "proposal": proposal,
            "accepted": accepted,
        }
        title = _title(suggestion)
        if accepted:
            state = "created" if accepted["created"] else "already set, unchanged"
            title += f"\naccepted: goal {accepted['goal']} {state}"
        self.stdout.write(
            render(rows, options["format"], columns=COLUMNS, document=document, title=title)
        )
