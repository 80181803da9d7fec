"""The demo's history: each rep's activities, deals, accounts and weekly numbers, simulated
day by day from the rep's profile (``RepPlan``) and written in bulk, one rep at a time, with
the monthly rollups kept in step.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Max, Model

from pacesetter.demo import names
from pacesetter.demo.options import DemoOptions, DemoResult
from pacesetter.ledger.bulk import BulkWriter
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.ledger.rollups import RollupDeltas

SOURCE = "demo"

# Relative activity volume by calendar month: a summer dip and a year-end push.
SEASONALITY = {
    1: 0.85, 2: 0.90, 3: 1.05, 4: 0.95, 5: 1.00, 6: 1.00,
    7: 0.80, 8: 0.75, 9: 1.05, 10: 1.10, 11: 1.15, 12: 1.30,
}  # fmt: skip

# Share of full productivity by month of tenure (month 1 = the hire month).
RAMP = (0.15, 0.35, 0.6, 0.85)

# Mean count per working day of each activity kind for a fully productive, average rep.
DAILY_RATES = {
    "smb": {"email": 11.0, "call": 7.0, "meeting_booked": 1.0, "meeting": 0.8, "demo": 0.9},
    "enterprise": {"email": 9.0, "call": 5.0, "meeting_booked": 0.8, "meeting": 0.7, "demo": 0.45},
}
# Dollars before skill. Enterprise reps hold half the demos of SMB reps at twice the size,
# so a capacity-based plan gives both kinds of team comparable quotas.
DEAL_SIZE = {"smb": 3_600, "mid_market": 5_500, "enterprise": 8_400}
OPEN_STAGES = ("Qualification", "Discovery", "Proposal", "Negotiation")
MONTHLY_CHURN = 0.015
WORKDAY_START = dt.time(9, 0)
WORKDAY_SECONDS = 9 * 3600


@dataclass
class RepPlan:
    """A rep's place and profile in the demo: who they are, when they work, how good they are."""

    index: int
    person_id: int
    team_kind: str
    hire_date: dt.date
    leave_date: dt.date | None
    volume: float
    call_to_demo: float
    demo_to_deal: float
    win_rate: float
    deal_size: float
    cycle_days: float
    article_habit: float
    pd_habit: float


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    """The first day of the month ``months_back`` months before ``day``'s (after, if negative)."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _working_days(start: dt.date, end: dt.date, holidays: set[dt.date]) -> list[dt.date]:
    days = []
    day = start
    while day < end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def write_history(
    options: DemoOptions,
    plans: list[RepPlan],
    history_start: dt.date,
    as_of: dt.date,
    zone: ZoneInfo,
    holidays: set[dt.date],
    result: DemoResult,
    progress: Callable[[int, int], object] | None,
) -> None:
    """Simulate and write every rep's history from ``history_start`` up to ``as_of``,
    counting the rows written into ``result``."""
    days = _working_days(history_start, as_of, holidays)
    # Local 9:00 of each working day, in UTC: activities fall within the working day.
    day_starts = {
        d: dt.datetime.combine(d, WORKDAY_START, tzinfo=zone).astimezone(dt.UTC) for d in days
    }
    next_account_id = (Account.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    activities = BulkWriter(
        Activity,
        ["source", "external_id", "kind", "person", "occurred_at", "account", "segment"],
        batch_size=options.batch_size,
    )
    deals = BulkWriter(
        Deal,
        ["source", "external_id", "name", "owner", "account", "amount", "stage", "status",
         "segment", "created_on", "closed_on"],
        batch_size=options.batch_size,
    )  # fmt: skip
    accounts = BulkWriter(
        Account,
        ["id", "source", "external_id", "name", "segment", "owner", "acquired_on", "churned_on"],
        batch_size=options.batch_size,
    )
    entries = BulkWriter(
        ManualEntry,
        ["source", "external_id", "person", "metric", "first_day", "value", "note", "updated_at"],
        batch_size=options.batch_size,
    )
    now = dt.datetime.now(dt.UTC)
    rollups = RollupDeltas(zone)
    for done, plan in enumerate(plans, start=1):
        rng = random.Random(f"{options.seed}:history:{plan.index}")
        book = _account_book(plan, rng, history_start, next_account_id)
        next_account_id += len(book)
        for row in _rep_activities(plan, rng, days, day_starts, book, as_of, deals, rollups):
            activities.add(row)
        rollups.flush()  # one rep's months at a time: memory stays flat
        for account in book:
            account.settle(rng, as_of)
            accounts.add(account.row(plan.person_id))
        for row in _rep_manual_entries(plan, rng, days, now):
            entries.add(row)
        if progress:
            progress(done, len(plans))
    # Foreign keys are checked at commit (deferred on both databases), so order is free.
    accounts.flush()
    deals.flush()
    activities.flush()
    entries.flush()
    _reset_sequence(Account)
    result.accounts = accounts.written
    result.activities = activities.written
    result.deals = deals.written
    result.manual_entries = entries.written


def _reset_sequence(model: type[Model]) -> None:
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


@dataclass
class _Account:
    id: int
    external_id: str
    name: str
    segment: str
    acquired_on: dt.date | None
    churned_on: dt.date | None = None

    def won(self, day: dt.date) -> None:
        """The first won deal makes a prospect a customer (deals close out of order)."""
        if self.acquired_on is None or day < self.acquired_on:
            self.acquired_on = day

    def settle(self, rng: random.Random, as_of: dt.date) -> None:
        """Customers churn a little every month after they were acquired."""
        if self.acquired_on is None or self.churned_on is not None:
            return
        month = month_start(self.acquired_on, -1)
        while month < as_of:
            if rng.random() < MONTHLY_CHURN:
                self.churned_on = month + dt.timedelta(days=rng.randint(0, 27))
                if self.churned_on >= as_of:
                    self.churned_on = None
                return
            month = month_start(month, -1)

    def row(self, owner_id: int) -> tuple:
        return (self.id, SOURCE, self.external_id, self.name, self.segment, owner_id,
                self.acquired_on, self.churned_on)  # fmt: skip


def _account_book(
    plan: RepPlan, rng: random.Random, history_start: dt.date, first_id: int
) -> list[_Account]:
    """The accounts a rep works: prospects, and some customers won before the history starts."""
    size = 25 if plan.team_kind == "enterprise" else 50
    book = []
    for k in range(size):
        if plan.team_kind == "enterprise":
            segment = "enterprise" if rng.random() < 0.8 else "mid_market"
        else:
            segment = "smb" if rng.random() < 0.7 else "mid_market"
        acquired = None
        if rng.random() < 0.3:
            acquired = history_start - dt.timedelta(days=rng.randint(30, 700))
        name = f"{rng.choice(names.ACCOUNT_WORDS)} {rng.choice(names.ACCOUNT_SUFFIXES)}"
        book.append(_Account(first_id + k, f"c{plan.index}-{k}", name, segment, acquired))
    return book


def _capacity(plan: RepPlan, day: dt.date) -> float:
    if day < plan.hire_date or (plan.leave_date and day > plan.leave_date):
        return 0.0
    tenure = (day.year - plan.hire_date.year) * 12 + day.month - plan.hire_date.month
    return RAMP[tenure] if tenure < len(RAMP) else 1.0


def _count(rng: random.Random, mean: float) -> int:
    """A whole count with the given mean (floor of mean + uniform noise)."""
    return int(mean + rng.random())


def _rep_activities(
    plan: RepPlan,
    rng: random.Random,
    days: list[dt.date],
    day_starts: dict[dt.date, dt.datetime],
    book: list[_Account],
    as_of: dt.date,
    deals: BulkWriter,
    rollups: RollupDeltas,
) -> Iterator[tuple]:
    """One rep's activities, day by day; deals born from demos go to ``deals``; both are
    counted into ``rollups``."""
    rates = DAILY_RATES[plan.team_kind]
    seq = 0
    deal_seq = 0
    second = dt.timedelta(seconds=1)
    person_id = plan.person_id
    for day in days:
        capacity = _capacity(plan, day)
        if capacity == 0.0:
            continue
        level = capacity * plan.volume * SEASONALITY[day.month] * rng.uniform(0.6, 1.4)
        start = day_starts[day]
        month = day.replace(day=1)
        for kind, rate in rates.items():
            mean = rate * level * (plan.call_to_demo if kind == "demo" else 1.0)
            for _ in range(_count(rng, mean)):
                account = book[rng.randrange(len(book))]
                rollups.count_activity(person_id, month, kind, account.segment, 1, account.id)
                seq += 1
                yield (SOURCE, f"a{plan.index}-{seq}", kind, person_id,
                       start + second * rng.randrange(WORKDAY_SECONDS), account.id,
                       account.segment)  # fmt: skip
                if kind == "demo" and rng.random() < plan.demo_to_deal:
                    deal_seq += 1
                    deal = _deal(plan, rng, day, account, as_of, deal_seq)
                    deals.add(deal)
                    rollups.deal(person_id, deal[7], deal[10], deal[5], deal[8])
        if rng.random() < plan.article_habit / 5:
            rollups.count_activity(person_id, month, "article", "")
            seq += 1
            yield (SOURCE, f"a{plan.index}-{seq}", "article", person_id,
                   start + second * rng.randrange(WORKDAY_SECONDS), None, "")  # fmt: skip


def _deal(
    plan: RepPlan, rng: random.Random, day: dt.date, account: _Account, as_of: dt.date, seq: int
) -> tuple:
    cycle = max(3, int(rng.gauss(plan.cycle_days, plan.cycle_days * 0.35)))
    close = day + dt.timedelta(days=cycle)
    closed: dt.date | None = close  # None: still open
    dollars = DEAL_SIZE[account.segment] * plan.deal_size * math.exp(rng.gauss(0, 0.25))
    cents = round(dollars / 10) * 1000  # whole tens of dollars, in cents
    # Buyers sign more at year end and less in summer: the season of the close month counts.
    won = rng.random() < plan.win_rate * SEASONALITY[close.month]
    if close >= as_of:
        status, stage, closed = "open", rng.choice(OPEN_STAGES), None
    elif won:
        status, stage = "won", "Closed Won"
        account.won(close)
    else:
        status, stage = "lost", "Closed Lost"
    return (SOURCE, f"d{plan.index}-{seq}", f"{account.name} #{seq}", plan.person_id, account.id,
            cents, stage, status, account.segment, day, closed)  # fmt: skip


def _rep_manual_entries(
    plan: RepPlan, rng: random.Random, days: list[dt.date], now: dt.datetime
) -> Iterator[tuple]:
    """Professional-development events (G8): about one a month for reps with the habit."""
    by_month: dict[tuple[int, int], list[dt.date]] = {}
    for day in days:
        if _capacity(plan, day) > 0:
            by_month.setdefault((day.year, day.month), []).append(day)
    for (year, month), month_days in by_month.items():
        if rng.random() < plan.pd_habit:
            day = rng.choice(month_days)
            # Reported for the part of its week in its own month (the demo's weeks start on
            # Monday), as the weekly form asks for a week that straddles two months.
            first_day = max(day - dt.timedelta(days=day.weekday()), dt.date(year, month, 1))
            yield (SOURCE, f"m{plan.index}-{year}{month:02d}", plan.person_id, "pd_events",
                   first_day, 100, "", now)  # fmt: skip
