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
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max

from pacesetter.demo import names
from pacesetter.demo.collective import set_up_collective
from pacesetter.demo.goals import set_example_goals
from pacesetter.demo.mentors import set_up_mentors
from pacesetter.demo.rewards import set_up_rewards
from pacesetter.goals.models import Goal, Plan, PlannedHire
from pacesetter.goals.services import plan_activate, plan_create_cascade
from pacesetter.ledger.bulk import BulkWriter
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.ledger.rollups import RollupDeltas
from pacesetter.ledger.selectors import revenue_by_month
from pacesetter.org.models import Holiday, Membership, OrgSettings, Person, Role, Unit
from pacesetter.rewards.models import Award, AwardEntry, Program, Reward, Rule

SOURCE = "demo"
DEMO_PASSWORD = "pacesetter"
DEMO_LOGINS = {"admin": "sales ops admin", "manager": "team manager", "rep": "sales rep"}
ORG_NAME = "Northwind Robotics"
ORG_ZONE = "America/New_York"
EMAIL_DOMAIN = "northwind.example"

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

# The first teams, in the order they are made: kinds alternate so that even a small demo
# has both enterprise and SMB teams. Larger orgs add numbered teams round the regions.
REGIONS = ("Americas", "EMEA", "APAC")
FIRST_TEAMS = (
    ("Americas", "Americas SMB East", "smb"),
    ("EMEA", "EMEA Enterprise", "enterprise"),
    ("APAC", "APAC SMB North", "smb"),
    ("Americas", "Americas Enterprise", "enterprise"),
    ("EMEA", "EMEA SMB", "smb"),
    ("APAC", "APAC Enterprise", "enterprise"),
    ("Americas", "Americas SMB West", "smb"),
    ("APAC", "APAC SMB South", "smb"),
)


@dataclass(frozen=True)
class DemoOptions:
    reps: int = 60
    months: int = 18
    seed: int = 7
    as_of: dt.date | None = None  # history runs up to the day before; default: today
    batch_size: int = 50_000


@dataclass
class DemoResult:
    units: int = 0
    people: int = 0
    reps: int = 0
    accounts: int = 0
    activities: int = 0
    deals: int = 0
    manual_entries: int = 0
    plan: str = ""
    example_goals: int = 0
    team_goals: int = 0  # collective goals and competitions (M9, G9)
    awards: int = 0  # rewards earned in the program's months so far (M5)
    mentorships: int = 0  # new reps paired with a mentor, with development goals (M8)
    logins: dict[str, str] = field(default_factory=dict)


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


def _month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


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


class _Namer:
    """Unique, deterministic person names and e-mail addresses."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> tuple[str, str]:
        first = self.rng.choice(names.FIRST_NAMES)
        last = self.rng.choice(names.LAST_NAMES)
        local = f"{first}.{last}".lower()
        n = 1
        while local + ("" if n == 1 else str(n)) in self.used:
            n += 1
        local += "" if n == 1 else str(n)
        self.used.add(local)
        return f"{first} {last}", f"{local}@{EMAIL_DOMAIN}"


def org_is_empty() -> bool:
    return not Unit.objects.exists()


def clear_org() -> None:
    """Delete every plan, goal, org and ledger row and the people's logins (``--replace``)."""
    user_ids = list(Person.objects.exclude(user=None).values_list("user_id", flat=True))
    for model in (AwardEntry, Award, Rule, Program, Reward):  # awards protect their goals
        model.objects.all().delete()
    Goal.objects.filter(tier_of__isnull=False).delete()
    for model in (Goal, Plan, PlannedHire):  # plans take their lines, goals their history
        model.objects.all().delete()
    for model in (Activity, Deal, ManualEntry, Account, Role, Membership, Person, Holiday):
        model.objects.all().delete()
    # Units reference their parent with PROTECT: delete leaves first.
    while Unit.objects.exists():
        Unit.objects.filter(children=None).delete()
    get_user_model().objects.filter(id__in=user_ids).delete()
    OrgSettings.objects.all().delete()


def build_demo(
    options: DemoOptions, progress: Callable[[int, int], None] | None = None
) -> DemoResult:
    """Create the demo org and its history in one transaction; the database must be empty."""
    if not org_is_empty():
        raise ValueError("the database already holds an org; use --replace to start over")
    zone = ZoneInfo(ORG_ZONE)
    as_of = options.as_of or dt.datetime.now(zone).date()
    # The history's last day is the day before as_of; it starts `months` months back.
    history_start = _month_start(as_of - dt.timedelta(days=1), options.months - 1)
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
        plans = _build_org(options, rng, history_start, as_of, result)
        _write_history(options, plans, history_start, as_of, zone, set(holidays), result, progress)
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
    this_month = _month_start(as_of)
    won = sum(revenue_by_month(_month_start(as_of, 12), this_month).values(), Decimal(0))
    annual = (won * Decimal("1.05")).quantize(Decimal("1E4")) or Decimal("1000000")
    plan = plan_create_cascade(
        name=f"FY{as_of.year}",
        year=as_of.year,
        annual_target=annual,
        seasonality={m: Decimal(str(w)) for m, w in SEASONALITY.items()},
        drag=(Decimal("0.10"), 2),
        over_assign=Decimal("1.1"),
        as_of=as_of,
    )
    plan_activate(plan=plan)
    return plan.label


def _tune_sqlite_for_bulk() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for the index B-trees


def _build_org(
    options: DemoOptions,
    rng: random.Random,
    history_start: dt.date,
    as_of: dt.date,
    result: DemoResult,
) -> list[RepPlan]:
    """Units, people, logins, memberships and roles; returns the reps to simulate."""
    namer = _Namer(rng)
    company = Unit.objects.create(name=ORG_NAME, kind=Unit.Kind.COMPANY)
    team_count = max(1, round(options.reps / 7.5))
    regions = {r: Unit.objects.create(name=r, kind=Unit.Kind.REGION, parent=company)
               for r in REGIONS}  # fmt: skip
    teams: list[tuple[Unit, str]] = []
    for i in range(team_count):
        if i < len(FIRST_TEAMS):
            region_name, name, kind = FIRST_TEAMS[i]
        else:
            region_name = REGIONS[i % 3]
            kind = "enterprise" if i % 3 == 1 else "smb"
            name = f"{region_name} {'Enterprise' if kind == 'enterprise' else 'SMB'} {i + 1}"
        teams.append((Unit(name=name, kind=Unit.Kind.TEAM, parent=regions[region_name]), kind))
    Unit.objects.bulk_create([t for t, _ in teams])
    teams = [(Unit.objects.get(parent=t.parent, name=t.name), kind) for t, kind in teams]
    result.units = 1 + len(regions) + len(teams)

    # The demo manager runs the first SMB team: it has the new hires and the demo rep.
    demo_team_index = (
        next(i for i, (_, kind) in enumerate(teams) if kind == "smb")
        if any(kind == "smb" for _, kind in teams)
        else 0
    )

    password = make_password(DEMO_PASSWORD)
    User = get_user_model()
    people: list[Person] = []
    users: list = []
    memberships: list[tuple[int, Unit, dt.date, dt.date | None]] = []
    roles: list[tuple[int, str, Unit | None]] = []

    def add_person(
        username: str | None,
        hire: dt.date,
        leave: dt.date | None = None,
        staff: bool = False,
        full_name: str | None = None,
    ) -> int:
        name, email = namer.person()
        name = full_name or name
        users.append(
            User(
                username=username or email,
                email=email,
                first_name=name.split()[0],
                last_name=name.split()[-1],
                password=password,
                is_staff=staff,
                is_superuser=staff,
            )
        )
        people.append(Person(full_name=name, email=email, hire_date=hire, leave_date=leave))
        return len(people) - 1

    def long_ago() -> dt.date:
        return history_start - dt.timedelta(days=rng.randint(120, 2400))

    admin = add_person("admin", long_ago(), staff=True)
    memberships.append((admin, company, history_start, None))
    roles.append((admin, Role.Kind.ADMIN, None))
    vp = add_person(None, long_ago())
    memberships.append((vp, company, history_start, None))
    roles.append((vp, Role.Kind.MANAGER, company))
    for region in regions.values():
        p = add_person(None, long_ago())
        memberships.append((p, region, history_start, None))
        roles.append((p, Role.Kind.MANAGER, region))
    for i, (team, _) in enumerate(teams):
        p = add_person("manager" if i == demo_team_index else None, long_ago())
        memberships.append((p, team, history_start, None))
        roles.append((p, Role.Kind.MANAGER, team))

    # Reps spread over the teams; special cases get fixed positions.
    rep_slots: list[int] = []  # index into people
    rep_team: list[int] = []
    new_hires = {1: _month_start(as_of, 2), 2: _month_start(as_of, 1)}
    # Changes land well inside the history, however short it is.
    history_days = (as_of - history_start).days
    leaver_leave = as_of - dt.timedelta(days=max(1, min(150, history_days // 2)))
    mover_moves = _month_start(as_of, min(6, options.months // 2))
    for r in range(options.reps):
        team_index = (demo_team_index + r) % len(teams)
        username = "rep" if r == 0 else None
        if r in new_hires and options.reps > 3:
            hire = new_hires[r]
            team_index = demo_team_index
        else:
            hire = long_ago()
        leave = leaver_leave if r == 3 and options.reps > 5 else None
        p = add_person(username, hire, leave)
        rep_slots.append(p)
        rep_team.append(team_index)
        roles.append((p, Role.Kind.REP, None))
        start = max(hire, history_start)
        team = teams[team_index][0]
        if r == 4 and options.reps > 5 and len(teams) > 1 and start < mover_moves:  # the mover
            other = teams[(team_index + 1) % len(teams)][0]
            memberships.append((p, team, start, mover_moves))
            memberships.append((p, other, mover_moves, None))
        else:
            end = leave + dt.timedelta(days=1) if leave else None
            memberships.append((p, team, start, end))

    User.objects.bulk_create(users, batch_size=1000)
    user_ids = dict(
        User.objects.filter(email__in=[u.email for u in users]).values_list("email", "id")
    )
    for person in people:
        person.user_id = user_ids[person.email]
    Person.objects.bulk_create(people, batch_size=1000)
    person_ids = dict(Person.objects.values_list("email", "id"))
    ids = [person_ids[p.email] for p in people]
    Membership.objects.bulk_create(
        [
            Membership(person_id=ids[i], unit=u, valid_from=f, valid_to=t)
            for i, u, f, t in memberships
        ],
        batch_size=1000,
    )
    Role.objects.bulk_create(
        [Role(person_id=ids[i], kind=k, unit=u) for i, k, u in roles], batch_size=1000
    )
    result.people = len(people)
    result.reps = options.reps
    result.logins = {
        u.username: DEMO_LOGINS[u.username] for u in users if u.username in DEMO_LOGINS
    }

    plans = []
    for r, slot in enumerate(rep_slots):
        skill = random.Random(f"{options.seed}:skill:{r}")
        person = people[slot]
        plans.append(
            RepPlan(
                index=r,
                person_id=ids[slot],
                team_kind=teams[rep_team[r]][1],
                hire_date=person.hire_date,
                leave_date=person.leave_date,
                volume=skill.uniform(0.8, 1.2),
                call_to_demo=skill.uniform(0.8, 1.25),
                demo_to_deal=skill.uniform(0.4, 0.6),
                win_rate=skill.uniform(0.3, 0.6),
                deal_size=skill.uniform(0.7, 1.4),
                cycle_days=skill.uniform(18, 55),
                article_habit=skill.uniform(0.2, 0.95),
                pd_habit=skill.uniform(0.3, 0.95),
            )
        )
    return plans


def _working_days(start: dt.date, end: dt.date, holidays: set[dt.date]) -> list[dt.date]:
    days = []
    day = start
    while day < end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _write_history(
    options: DemoOptions,
    plans: list[RepPlan],
    history_start: dt.date,
    as_of: dt.date,
    zone: ZoneInfo,
    holidays: set[dt.date],
    result: DemoResult,
    progress: Callable[[int, int], None] | None,
) -> None:
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


def _reset_sequence(model: type) -> None:
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
        month = _month_start(self.acquired_on, -1)
        while month < as_of:
            if rng.random() < MONTHLY_CHURN:
                self.churned_on = month + dt.timedelta(days=rng.randint(0, 27))
                if self.churned_on >= as_of:
                    self.churned_on = None
                return
            month = _month_start(month, -1)

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
    closed: dt.date | None = day + dt.timedelta(days=cycle)
    dollars = DEAL_SIZE[account.segment] * plan.deal_size * math.exp(rng.gauss(0, 0.25))
    cents = round(dollars / 10) * 1000  # whole tens of dollars, in cents
    # Buyers sign more at year end and less in summer: the season of the close month counts.
    won = rng.random() < plan.win_rate * SEASONALITY[closed.month]
    if closed >= as_of:
        status, stage, closed = "open", rng.choice(OPEN_STAGES), None
    elif won:
        status, stage = "won", "Closed Won"
        account.won(closed)
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
