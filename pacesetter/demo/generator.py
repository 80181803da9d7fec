"""The demo org: a realistic, deterministic sales organisation with months of history.

Built for two uses: a first look at Pacesetter (``make run``: ~60 reps, 18 months) and the
scale benchmark (2,000 reps, ~10 million activities a year). It streams: each rep's history
is simulated, written, and dropped before the next rep's, so memory stays flat however large
the org. Every random draw comes from a generator seeded by (seed, what it is for), so the
same seed and ``as_of`` date give the same org, row for row.

What a manager should see in it:
- seasonality: volume follows ``SEASONALITY`` (summer dip, year-end push);
- skill: reps differ in activity volume, conversion rates, deal size and cycle length;
- people changes: two new hires ramping up in the demo manager's team, one rep who left,
  one rep who moved to another team;
- enterprise and SMB teams and accounts; customers acquired (first won deal) and churned.

The org's structure is built by ``org``, its history simulated by ``history``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from pacesetter.demo.collective import set_up_collective
from pacesetter.demo.goals import set_example_goals
from pacesetter.demo.history import SEASONALITY, month_start, write_history
from pacesetter.demo.mentors import set_up_mentors
from pacesetter.demo.options import DemoOptions, DemoResult
from pacesetter.demo.org import ORG_NAME, build_org
from pacesetter.demo.rewards import set_up_rewards
from pacesetter.goals.models import Goal, Plan, PlannedHire
from pacesetter.goals.services import CascadeOptions, plan_activate, plan_create_cascade
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.ledger.selectors import revenue_by_month
from pacesetter.org.models import Holiday, Membership, OrgSettings, Person, Role, Unit
from pacesetter.rewards.models import Award, AwardEntry, Program, Reward, Rule

ORG_ZONE = "America/New_York"


def demo_holidays(years: range) -> dict[dt.date, str]:
    """Public holidays of the demo org (a US-style calendar)."""

    def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    def last_weekday(year: int, month: int, weekday: int) -> dt.date:
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)

    found: dict[dt.date, str] = {}
    for y in years:
        found[dt.date(y, 1, 1)] = "New Year's Day"
        found[last_weekday(y, 5, 0)] = "Memorial Day"
        found[dt.date(y, 7, 4)] = "Independence Day"
        found[nth_weekday(y, 9, 0, 1)] = "Labor Day"
        found[nth_weekday(y, 11, 3, 4)] = "Thanksgiving"
        found[dt.date(y, 12, 25)] = "Christmas Day"
    return found


def org_is_empty() -> bool:
    return not Unit.objects.exists()


def clear_org() -> None:
    """Delete every plan, goal, org and ledger row and the people's logins (``--replace``)."""
    user_ids = list(Person.objects.exclude(user=None).values_list("user_id", flat=True))
    for rewards in (AwardEntry, Award, Rule, Program, Reward):  # awards protect their goals
        rewards.objects.all().delete()
    Goal.objects.filter(tier_of__isnull=False).delete()
    for plans in (Goal, Plan, PlannedHire):  # plans take their lines, goals their history
        plans.objects.all().delete()
    for org in (Activity, Deal, ManualEntry, Account, Role, Membership, Person, Holiday):
        org.objects.all().delete()
    # Units reference their parent with PROTECT: delete leaves first.
    while Unit.objects.exists():
        Unit.objects.filter(children=None).delete()
    get_user_model().objects.filter(id__in=user_ids).delete()
    OrgSettings.objects.all().delete()


def build_demo(
    options: DemoOptions, progress: Callable[[int, int], object] | None = None
) -> DemoResult:
    """Create the demo org and its history in one transaction; the database must be empty."""
    if not org_is_empty():
        raise ValueError("the database already holds an org; use --replace to start over")
    zone = ZoneInfo(ORG_ZONE)
    as_of = options.as_of or dt.datetime.now(zone).date()
    # The history's last day is the day before as_of; it starts `months` months back.
    history_start = month_start(as_of - dt.timedelta(days=1), options.months - 1)
    rng = random.Random(f"{options.seed}:org")
    result = DemoResult()
    with transaction.atomic():
        _tune_sqlite_for_bulk()
        OrgSettings.objects.update_or_create(
            pk=1,
            defaults={
                "name": ORG_NAME,
                "currency": "USD",
                "time_zone": ORG_ZONE,
                "fiscal_year_start_month": 1,
                "week_start": 0,
                "working_weekdays": "01234",
            },
        )
        holidays = demo_holidays(range(history_start.year - 1, as_of.year + 2))
        Holiday.objects.bulk_create([Holiday(date=d, name=n) for d, n in holidays.items()])
        plans = build_org(options, rng, history_start, as_of, result)
        write_history(options, plans, history_start, as_of, zone, set(holidays), result, progress)
        result.plan = _activate_this_years_plan(as_of)
        result.example_goals = set_example_goals(as_of)
        result.team_goals = set_up_collective(as_of)
        result.awards = set_up_rewards(as_of)
        result.mentorships = set_up_mentors(as_of)
    # Fresh statistics for the planner after a bulk load: without them PostgreSQL scanned a
    # month of activities for one team's coverage (0.7 s instead of 1 ms on 10 M rows).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return result


def _activate_this_years_plan(as_of: dt.date) -> str:
    """The year's revenue plan, as sales ops would set it: last year's revenue plus 5 %,
    the demo's own seasonality, 110 % over-assignment, a 10 % training drag for two months.
    Activated, so every rep and unit has monthly goals with a history to be paced against."""
    this_month = month_start(as_of)
    won = sum(revenue_by_month(month_start(as_of, 12), this_month).values(), Decimal(0))
    annual = (won * Decimal("1.05")).quantize(Decimal("1E4")) or Decimal("1000000")
    plan = plan_create_cascade(
        name=f"FY{as_of.year}",
        year=as_of.year,
        annual_target=annual,
        options=CascadeOptions(
            seasonality={m: Decimal(str(w)) for m, w in SEASONALITY.items()},
            drag=(Decimal("0.10"), 2),
            over_assign=Decimal("1.1"),
        ),
        as_of=as_of,
    )
    plan_activate(plan=plan)
    return plan.label


def _tune_sqlite_for_bulk() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for the index B-trees
