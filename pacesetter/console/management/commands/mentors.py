"""``pacesetter mentors``: mentors and development goals (M8) from the command line.

pacesetter mentors list [--person EMAIL] [--format table|json|csv]
pacesetter mentors suggest EMAIL [--limit 5] [--today YYYY-MM-DD]
pacesetter mentors assign MENTOR_EMAIL MENTEE_EMAIL [--on YYYY-MM-DD] [--focus TEXT]
pacesetter mentors end MENTOR_EMAIL MENTEE_EMAIL [--on YYYY-MM-DD]
pacesetter mentors goal MENTEE_EMAIL --metric pd_events --target 1 --period 2026-11 [--mentor EMAIL]
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from pacesetter import planning
from pacesetter.coaching.selectors import mentor_links, mentoring_activity
from pacesetter.coaching.services import development_goal_create, mentor_assign, mentor_end
from pacesetter.coaching.suggestions import mentor_suggestions
from pacesetter.org.models import Person
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.tabular import FORMATS, render


def _person(who: str) -> Person:
    person = Person.objects.filter(Q(email__iexact=who) | Q(user__username=who)).first()
    if person is None:
        raise ValueError(f"no person with e-mail or login {who!r}")
    return person


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


_number.__name__ = "number"  # argparse says "invalid number value: 'x'"


class Command(BaseCommand):
    help = "Mentors (M8): list, suggest, assign and end mentors; set development goals."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def add(name: str, help_text: str) -> CommandParser:
            p = sub.add_parser(name, help=help_text, description=help_text)
            p.add_argument("--format", choices=FORMATS, default="table")
            return p

        p = add("list", "Who mentors whom today, since when, and how often they met.")
        p.add_argument("--person", metavar="EMAIL", help="only this person's mentors and mentees")

        p = add("suggest", "Reps who are strong where this one is weak.")
        p.add_argument("mentee", metavar="EMAIL")
        p.add_argument("--limit", type=int, default=5)
        p.add_argument("--today", type=dt.date.fromisoformat, help="pretend it is this day")

        p = add("assign", "Make MENTOR a mentor of MENTEE (at most two mentors each).")
        p.add_argument("mentor", metavar="MENTOR_EMAIL")
        p.add_argument("mentee", metavar="MENTEE_EMAIL")
        p.add_argument("--on", type=dt.date.fromisoformat, help="from this day (today)")
        p.add_argument("--focus", default="", help="what they work on, e.g. the close rate")

        p = add("end", "End a mentoring: the mentor no longer sees the mentee's goals.")
        p.add_argument("mentor", metavar="MENTOR_EMAIL")
        p.add_argument("mentee", metavar="MENTEE_EMAIL")
        p.add_argument("--on", type=dt.date.fromisoformat, help="the first day without it")

        p = add("goal", "A development goal of MENTEE, agreed with their mentor.")
        p.add_argument("mentee", metavar="MENTEE_EMAIL")
        p.add_argument("--metric", default="pd_events", help="default pd_events (G8)")
        p.add_argument("--target", type=_number, required=True)
        p.add_argument("--period", required=True, help="2026-11, 2026-W47 or 2026-Q4")
        p.add_argument("--mentor", metavar="EMAIL", help="the mentor it was agreed with")
        p.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"])(options)
        except ValueError as error:  # MentorError is a ValueError
            raise CommandError(str(error)) from None

    def emit(self, options: dict, rows: list[dict], **kwargs: Any) -> None:
        self.stdout.write(render(rows, options["format"], **kwargs))

    def do_list(self, options: dict) -> None:
        if options["person"]:
            person = _person(options["person"])
            links = mentor_links(mentee_ids=[person.pk], mentor_ids=[person.pk])
        else:
            links = mentor_links()
        met = mentoring_activity((link.mentor.pk, link.mentee.pk) for link in links)
        rows = [
            {
                "mentee": link.mentee.full_name,
                "mentee_email": link.mentee.email,
                "mentor": link.mentor.full_name,
                "mentor_email": link.mentor.email,
                "since": link.since,
                "focus": link.focus,
                "check_ins": met[(link.mentor.pk, link.mentee.pk)].count,
                "last_met": met[(link.mentor.pk, link.mentee.pk)].last,
            }
            for link in links
        ]
        self.emit(
            options,
            rows,
            columns=["mentee", "mentor", "since", "check_ins", "last_met", "focus"],
            title=f"{len(rows)} mentoring pair" + ("" if len(rows) == 1 else "s"),
        )

    def do_suggest(self, options: dict) -> None:
        mentee = _person(options["mentee"])
        today = options["today"] or today_in_org()
        s = mentor_suggestions(mentee, today, limit=options["limit"])
        rows = [
            {
                "rank": i,
                "mentor": c.person.full_name,
                "email": c.person.email,
                "score": c.score,
                "mentees": c.mentees,
                "reason": c.reason,
            }
            for i, c in enumerate(s.candidates, start=1)
        ]
        if s.weaknesses:
            title = f"{mentee} in {s.window_label}, against the median of {s.peers} reps"
            title += f" ({s.peer_group}): weakest on {s.weakness_text}"
        else:
            title = f"{mentee} in {s.window_label} is not below the median on any metric compared"
        if s.mentors:
            title += f"\nMentors today: {', '.join(m.full_name for m in s.mentors)}"
            if s.full:
                title += " (the most allowed: end one before assigning another)"
        document = {
            "mentee": mentee.full_name,
            "email": mentee.email,
            "window": {"start": s.window.start, "end": s.window.end},
            "peer_group": s.peer_group,
            "peers": s.peers,
            "weaknesses": [
                {
                    "metric": w.metric.name,
                    "value": w.mentee,
                    "median": w.median,
                    "shortfall": w.shortfall,
                    "text": w.text,
                }
                for w in s.weaknesses
            ],
            "mentors": [m.email for m in s.mentors],
            "candidates": rows,
        }
        self.emit(
            options,
            rows,
            document=document,
            columns=["rank", "mentor", "email", "score", "mentees", "reason"],
            title=title,
        )

    def do_assign(self, options: dict) -> None:
        mentor, mentee = _person(options["mentor"]), _person(options["mentee"])
        on = options["on"] or today_in_org()
        record = mentor_assign(mentor=mentor, mentee=mentee, on=on, focus=options["focus"])
        row = {
            "mentor": mentor.full_name,
            "mentee": mentee.full_name,
            "since": record.started_on,
            "focus": record.focus,
        }
        self.emit(options, [row], document=row, title=f"{mentor} now mentors {mentee}")

    def do_end(self, options: dict) -> None:
        mentor, mentee = _person(options["mentor"]), _person(options["mentee"])
        on = options["on"] or today_in_org()
        record = mentor_end(mentor=mentor, mentee=mentee, on=on)
        row = {
            "mentor": mentor.full_name,
            "mentee": mentee.full_name,
            "since": record.started_on if record else None,
            "ended": on,
        }
        self.emit(options, [row], document=row, title=f"{mentor} no longer mentors {mentee}")

    def do_goal(self, options: dict) -> None:
        mentee = _person(options["mentee"])
        mentor = _person(options["mentor"]) if options["mentor"] else None
        period = planning.parse_period(options["period"], work_calendar())
        goal = development_goal_create(
            mentee=mentee,
            metric=options["metric"],
            period=period,
            target=options["target"],
            mentor=mentor,
            note=options["note"],
            on=today_in_org(),
        )
        row = {
            "mentee": mentee.full_name,
            "metric": goal.metric,
            "period": period.label,
            "target": goal.target,
            "kind": goal.kind,
            "agreed_with": mentor.full_name if mentor else None,
            "goal_id": goal.pk,
        }
        title = f"Development goal of {mentee}: {goal.metric} {goal.target} in {period.label}"
        self.emit(options, [row], document=row, title=title)
