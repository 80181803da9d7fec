"""The demo's example goals: one of each of the source's ten (G1–G10), set the way a
manager would set them — from each rep's own recent numbers — so that every example is
live on the dashboards and in ``pacesetter progress`` from the first ``make run``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from pacesetter import planning
from pacesetter.goals.models import Goal, GoalChange
from pacesetter.goals.services import stretch_goals_create, stretch_offers, waterfall_goals_create
from pacesetter.metrics.engine import Window, person_values, unit_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import add_months

# G1: "+$3,000 in Q2, +$4,000 in Q3, +$5,000 in Q4" over the current quarterly average.
G1_INCREMENTS = {"Q1": 2000, "Q2": 3000, "Q3": 4000, "Q4": 5000}


def set_example_goals(as_of: dt.date) -> int:
    """Create this period's example goals for every rep and team; returns how many."""
    cal = work_calendar()
    month = planning.month_of(as_of)
    quarter = planning.quarter_of(as_of, cal)
    week = planning.week_of(as_of, cal)
    metrics = {m.name: m for m in Metric.objects.all()}
    rep_ids = set(Role.objects.filter(kind=Role.Kind.REP).values_list("person_id", flat=True))
    teams = dict(
        Membership.objects.filter(person_id__in=rep_ids, unit__kind=Unit.Kind.TEAM)
        .on(as_of)
        .values_list("person_id", "unit_id")
    )
    reps = sorted(teams)

    def values(name: str, start: dt.date, end: dt.date) -> dict[int, Decimal | None]:
        return person_values(metrics[name], Window(start, end), reps, as_of=as_of)

    last_quarter = Window(add_months(quarter.start, -3), quarter.start)
    half_year = Window(add_months(quarter.start, -6), quarter.start)
    last_13_weeks = Window(week.start - dt.timedelta(weeks=13), week.start)
    revenue = values("revenue_won", half_year.start, half_year.end)
    demos = values("demos_held", last_13_weeks.start, last_13_weeks.end)
    close_rate = values("close_rate", last_quarter.start, last_quarter.end)
    lead_time = values("lead_to_customer_days", half_year.start, half_year.end)
    coverage = values("new_customer_coverage", month.start, month.end)
    enterprise = values("enterprise_demos", last_quarter.start, last_quarter.end)

    goals: list[Goal] = []

    def add(person: int | None, metric: str, period: planning.Period, target: Decimal,
            priority: int, note: str, kind: str = Goal.Kind.STANDARD,
            unit: int | None = None) -> None:  # fmt: skip
        goals.append(
            Goal(
                metric=metric,
                person_id=person,
                unit_id=unit,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                target=target,
                priority=priority,
                kind=kind,
                note=note,
            )
        )

    label = quarter.label[-2:]
    for rep in reps:
        baseline = (revenue[rep] or Decimal(0)) / 2
        g1 = planning.increments(baseline, {label: G1_INCREMENTS[label]})[label]
        add(rep, "revenue_won", quarter, g1, 2,
            f"G1: quarterly average {baseline:,.0f} + {G1_INCREMENTS[label]:,}")  # fmt: skip
        weekly_demos = max(1, math.ceil((demos[rep] or Decimal(0)) / 13 * Decimal("1.1")))
        add(rep, "demos_held", week, Decimal(weekly_demos), 3, "G2: 10 % above the weekly average")
        if (rate := close_rate[rep]) is not None:
            target = planning.rate_target(rate, 5)
            add(rep, "close_rate", quarter, target, 4,
                f"G3: last quarter's {rate} % + 5 points")  # fmt: skip
        if enterprise[rep]:
            add(rep, "enterprise_demos", quarter, Decimal(3), 5, "G10: three enterprise demos")
        if coverage[rep] is not None:
            add(rep, "new_customer_coverage", month, Decimal(100), 6,
                "G4: touch every new customer each month")  # fmt: skip
        add(rep, "retention_rate", quarter, Decimal(90), 7, "G6: keep 90 % of customers")
        if (days := lead_time[rep]) is not None:
            target = Decimal(math.floor(days * Decimal("0.9")))
            add(rep, "lead_to_customer_days", quarter, target, 8,
                f"G7: 10 % faster than the median {days} days")  # fmt: skip
        add(rep, "articles_shared", week, Decimal(1), 9, "G5: one article a week")
        add(rep, "pd_events", month, Decimal(1), 10, "G8: one event a month",
            kind=Goal.Kind.DEVELOPMENT)  # fmt: skip

    # G9: book the most meetings in the team — a competition on each team.
    team_ids = sorted(set(teams.values()))
    last_month = Window(add_months(month.start, -1), month.start)
    booked = unit_values(metrics["meetings_booked"], last_month, team_ids, as_of=as_of)
    for team in team_ids:
        target = Decimal(math.ceil((booked[team] or 0) * Decimal("1.05")))
        add(None, "meetings_booked", month, target, 3,
            "G9: most meetings booked in the team wins", kind=Goal.Kind.COMPETITION,
            unit=team)  # fmt: skip

    Goal.objects.bulk_create(goals, batch_size=2000)
    created = Goal.objects.filter(note__startswith="G", history__isnull=True)
    GoalChange.objects.bulk_create(
        [GoalChange(goal=g, new_target=g.target, reason="demo: example goal") for g in created],
        batch_size=2000,
    )

    # M2: the demo rep steps e-mails up over four weeks; M7: stretch tiers for the month.
    demo_rep = Person.objects.filter(user__username="rep").first()
    if demo_rep is not None and demo_rep.pk in teams:
        four_weeks = Window(week.start - dt.timedelta(weeks=4), week.start)
        emails = person_values(metrics["emails_sent"], four_weeks, [demo_rep.pk], as_of=as_of)
        baseline_emails = emails[demo_rep.pk] or Decimal(0)
        baseline = (baseline_emails / 4).quantize(Decimal(1))
        steps = planning.waterfall(baseline, (baseline * Decimal("1.2")).quantize(Decimal(1)),
                                   steps=4, every="week", start=week.start, cal=cal)  # fmt: skip
        waterfall_goals_create(metric="emails_sent", steps=steps, every="week", person=demo_rep)
    stretch_goals_create(offers=stretch_offers(month=month.start))
    return len(goals)
