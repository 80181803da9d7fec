"""``pacesetter scorecard``: each person's goals of a month (and its weeks) in priority
order, met or missed, the weighted score, the top priority and the stretch offers.

pacesetter scorecard [--period 2026-11] [--person EMAIL | --unit NAME] [--today YYYY-MM-DD]
                     [--sequenced] [--format table|json|csv]
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.coaching.selectors import scorecards_with_mentees
from pacesetter.console.arguments import (
    add_when_arguments,
    person_named,
    unit_named,
    when,
)
from pacesetter.goals.models import Goal
from pacesetter.tabular import FORMATS, render
from pacesetter.tracking.scorecard import PeriodCard, Scorecard, ScoreRow
from pacesetter.tracking.selectors import scope_of_unit

COLUMNS = [
    "person", "section", "priority", "metric", "target", "actual", "attainment", "met",
    "weight", "points", "realism", "stretch",
]  # fmt: skip
MET = {True: "met", False: "missed", None: "open"}


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _row(card: Scorecard, section: PeriodCard, row: ScoreRow) -> dict[str, Any]:
    r, goal = row.progress, row.goal
    return {
        "person": card.person.full_name,
        "section": section.label,
        "priority": row.line.priority,
        "metric": goal.metric if goal else row.line.label,
        "kind": goal.kind if goal else "",
        "target": goal.target if goal else None,
        "actual": _cents(r.actual) if r else None,
        "attainment": row.line.attainment,
        "met": MET[row.met],
        "counts": row.line.counts,
        "weight": row.scored.weight_percent,
        "credit": row.scored.credit_percent,
        "points": row.scored.points_percent,
        "realism": _realism(row),
        "stretch": str(row.offer.text) if row.offer else "",
    }


def _realism(row: ScoreRow) -> str:
    if row.realism is None:
        return ""
    if row.realism.percent is None:
        return row.realism.realism.verdict_label
    return f"{row.realism.percent} % {row.realism.realism.verdict_label}"


def _summary(card: Scorecard) -> str:
    score = "no goals" if card.score is None else f"score {card.score} %"
    main = card.main.score
    parts = [f"{card.person.full_name} {card.period.label}: {score}"]
    if card.top_missed:
        missed = ", ".join(f"{line.label} ({section.label})" for section, line in card.top_missed)
        parts.append(f"TOP PRIORITY MISSED: {missed}")
    elif main.top_met:
        parts.append("top priority met")
    if main.levels:
        parts.append(f"priority levels met in order: {main.reached} of {main.levels}")
    return " · ".join(parts)


def _document(card: Scorecard) -> dict[str, Any]:
    return {
        "person": card.person.full_name,
        "email": card.person.email,
        "score": card.score,
        "top_priority": card.main.score.top_priority,
        "top_met": card.main.score.top_met,
        "top_missed": [
            {"section": section.label, "goal": line.key, "label": line.label}
            for section, line in card.top_missed
        ],
        "reached": card.main.score.reached,
        "levels": card.main.score.levels,
        "sections": [
            {
                "period": section.label,
                # A week that straddles two months: the days of it in this month, their share.
                **(
                    {"days": [section.days[0], section.last_day], "share": str(section.share)}
                    if section.straddles and section.days is not None
                    else {}
                ),
                "score": section.score.score,
                "top_met": section.score.top_met,
                "lines": [_row(card, section, row) for row in section.rows],
            }
            for section in card.sections
        ],
        "stretch": [
            {
                "goal": o.goal.pk,
                "metric": o.goal.metric,
                "offered": o.eligible,
                "reason": str(o.reason),
            }
            for o in card.offers
        ],
    }


class Command(BaseCommand):
    help = "Scorecards: goals in priority order, met or missed, and a weighted score (M3)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_when_arguments(parser, "a month like 2026-11 (default: this month)")
        parser.add_argument("--person", metavar="EMAIL", help="one person (e-mail or login)")
        parser.add_argument("--unit", metavar="NAME", help="everyone in a unit and below it")
        parser.add_argument(
            "--sequenced", action="store_true", help="a goal counts once the higher ones are met"
        )
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        _cal, today, period = when(options)
        if period.kind not in ("month", "week"):
            raise CommandError(f"a scorecard is for a month or a week, not {period.label}")
        if options["person"]:
            person = person_named(options["person"])
            people = [person.pk]
        elif options["unit"]:
            unit = unit_named(options["unit"])
            people, _units = scope_of_unit(unit.pk, period.start, period.end)
        else:
            people = sorted(
                set(
                    Goal.objects.filter(
                        person__isnull=False,
                        period_start__lt=period.end,
                        period_end__gt=period.start,
                    ).values_list("person_id", flat=True)
                )
            )
        cards = scorecards_with_mentees(people, period, today, sequenced=options["sequenced"])
        ordered = sorted(cards.values(), key=lambda c: c.person.full_name)
        rows = [
            _row(card, section, row)
            for card in ordered
            for section in card.sections
            for row in section.rows
        ]
        title = "\n".join(_summary(c) for c in ordered) or f"{period.label}: nobody to score"
        document = {
            "period": period.label,
            "today": today,
            "sequenced": options["sequenced"],
            "scorecards": [_document(c) for c in ordered],
        }
        self.stdout.write(
            render(rows, options["format"], columns=COLUMNS, document=document, title=title)
        )
