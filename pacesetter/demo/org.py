"""The demo org's structure: units, people with their logins, memberships and roles, and
each rep's profile for the history (``history.RepPlan``): skill, hire and leave dates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from pacesetter.demo import names
from pacesetter.demo.history import RepPlan, month_start
from pacesetter.demo.options import DemoOptions, DemoResult
from pacesetter.org.models import Membership, Person, Role, Unit

DEMO_PASSWORD = "pacesetter"
DEMO_LOGINS = {"admin": "sales ops admin", "manager": "team manager", "rep": "sales rep"}
ORG_NAME = "Northwind Robotics"
EMAIL_DOMAIN = "northwind.example"

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


@dataclass
class _Staff:
    """The org's people before they are written: logins, people, memberships and roles."""

    rng: random.Random
    history_start: dt.date
    namer: _Namer
    password: str
    users: list = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    memberships: list[tuple[int, Unit, dt.date, dt.date | None]] = field(default_factory=list)
    roles: list[tuple[int, str, Unit | None]] = field(default_factory=list)

    def long_ago(self) -> dt.date:
        """A hire date well before the history starts."""
        return self.history_start - dt.timedelta(days=self.rng.randint(120, 2400))

    def add(
        self, username: str | None, hire: dt.date, leave: dt.date | None = None, staff: bool = False
    ) -> int:
        """A person with a login; their index in ``people``."""
        name, email = self.namer.person()
        self.users.append(
            get_user_model()(
                username=username or email,
                email=email,
                first_name=name.split()[0],
                last_name=name.split()[-1],
                password=self.password,
                is_staff=staff,
                is_superuser=staff,
            )
        )
        self.people.append(Person(full_name=name, email=email, hire_date=hire, leave_date=leave))
        return len(self.people) - 1

    def add_lead(
        self, username: str | None, unit: Unit, kind: str, scope: Unit | None, staff: bool = False
    ) -> None:
        """Someone long with the company, in ``unit`` all through the history, with a role."""
        p = self.add(username, self.long_ago(), staff=staff)
        self.memberships.append((p, unit, self.history_start, None))
        self.roles.append((p, kind, scope))

    def write(self) -> list[int]:
        """Write everyone; the people's ids, in the order they were added."""
        User = get_user_model()
        User.objects.bulk_create(self.users, batch_size=1000)
        user_ids = dict(
            User.objects.filter(email__in=[u.email for u in self.users]).values_list("email", "id")
        )
        for person in self.people:
            person.user_id = user_ids[person.email]
        Person.objects.bulk_create(self.people, batch_size=1000)
        person_ids = dict(Person.objects.values_list("email", "id"))
        ids = [person_ids[p.email] for p in self.people]
        Membership.objects.bulk_create(
            [
                Membership(person_id=ids[i], unit=u, valid_from=f, valid_to=t)
                for i, u, f, t in self.memberships
            ],
            batch_size=1000,
        )
        Role.objects.bulk_create(
            [Role(person_id=ids[i], kind=k, unit=u) for i, k, u in self.roles], batch_size=1000
        )
        return ids

    def logins(self) -> dict[str, str]:
        """The demo logins among the people, with who they are."""
        return {
            u.username: DEMO_LOGINS[u.username] for u in self.users if u.username in DEMO_LOGINS
        }


def build_org(
    options: DemoOptions,
    rng: random.Random,
    history_start: dt.date,
    as_of: dt.date,
    result: DemoResult,
) -> list[RepPlan]:
    """Units, people, logins, memberships and roles; returns the reps to simulate."""
    namer = _Namer(rng)
    company = Unit.objects.create(name=ORG_NAME, kind=Unit.Kind.COMPANY)
    regions, teams = _teams(company, max(1, round(options.reps / 7.5)))
    result.units = 1 + len(regions) + len(teams)
    # The demo manager runs the first SMB team: it has the new hires and the demo rep.
    demo_team = next((i for i, (_, kind) in enumerate(teams) if kind == "smb"), 0)
    staff = _Staff(rng, history_start, namer, make_password(DEMO_PASSWORD))
    _add_managers(staff, company, regions, teams, demo_team)
    reps = _add_reps(staff, options, teams, demo_team, as_of)
    ids = staff.write()
    result.people = len(staff.people)
    result.reps = options.reps
    result.logins = staff.logins()
    return _rep_plans(options.seed, staff, ids, reps, teams)


def _teams(company: Unit, count: int) -> tuple[dict[str, Unit], list[tuple[Unit, str]]]:
    """The regions under the company, and ``count`` teams round them with their kinds."""
    regions = {r: Unit.objects.create(name=r, kind=Unit.Kind.REGION, parent=company)
               for r in REGIONS}  # fmt: skip
    teams: list[tuple[Unit, str]] = []
    for i in range(count):
        if i < len(FIRST_TEAMS):
            region_name, name, kind = FIRST_TEAMS[i]
        else:
            region_name = REGIONS[i % 3]
            kind = "enterprise" if i % 3 == 1 else "smb"
            name = f"{region_name} {'Enterprise' if kind == 'enterprise' else 'SMB'} {i + 1}"
        teams.append((Unit(name=name, kind=Unit.Kind.TEAM, parent=regions[region_name]), kind))
    Unit.objects.bulk_create([t for t, _ in teams])
    return regions, [(Unit.objects.get(parent=t.parent, name=t.name), kind) for t, kind in teams]


def _add_managers(
    staff: _Staff,
    company: Unit,
    regions: dict[str, Unit],
    teams: list[tuple[Unit, str]],
    demo_team: int,
) -> None:
    """The admin, the VP, and a manager for every region and team."""
    staff.add_lead("admin", company, Role.Kind.ADMIN, None, staff=True)
    staff.add_lead(None, company, Role.Kind.MANAGER, company)
    for region in regions.values():
        staff.add_lead(None, region, Role.Kind.MANAGER, region)
    for i, (team, _) in enumerate(teams):
        staff.add_lead("manager" if i == demo_team else None, team, Role.Kind.MANAGER, team)


def _add_reps(
    staff: _Staff,
    options: DemoOptions,
    teams: list[tuple[Unit, str]],
    demo_team: int,
    as_of: dt.date,
) -> list[tuple[int, int]]:
    """The reps, spread over the teams, each rep's (index in ``people``, team index). Special
    cases get fixed positions: two new hires in the demo team, a leaver and a mover."""
    reps: list[tuple[int, int]] = []
    history_start = staff.history_start
    new_hires = {1: month_start(as_of, 2), 2: month_start(as_of, 1)}
    # Changes land well inside the history, however short it is.
    history_days = (as_of - history_start).days
    leaver_leave = as_of - dt.timedelta(days=max(1, min(150, history_days // 2)))
    mover_moves = month_start(as_of, min(6, options.months // 2))
    for r in range(options.reps):
        team_index = (demo_team + r) % len(teams)
        username = "rep" if r == 0 else None
        if r in new_hires and options.reps > 3:
            hire = new_hires[r]
            team_index = demo_team
        else:
            hire = staff.long_ago()
        leave = leaver_leave if r == 3 and options.reps > 5 else None
        p = staff.add(username, hire, leave)
        reps.append((p, team_index))
        staff.roles.append((p, Role.Kind.REP, None))
        start = max(hire, history_start)
        team = teams[team_index][0]
        if r == 4 and options.reps > 5 and len(teams) > 1 and start < mover_moves:  # the mover
            other = teams[(team_index + 1) % len(teams)][0]
            staff.memberships.append((p, team, start, mover_moves))
            staff.memberships.append((p, other, mover_moves, None))
        else:
            end = leave + dt.timedelta(days=1) if leave else None
            staff.memberships.append((p, team, start, end))
    return reps


def _rep_plans(
    seed: int,
    staff: _Staff,
    ids: list[int],
    reps: list[tuple[int, int]],
    teams: list[tuple[Unit, str]],
) -> list[RepPlan]:
    """Each rep's profile: a skill drawn from a generator of its own."""
    plans = []
    for r, (slot, team_index) in enumerate(reps):
        skill = random.Random(f"{seed}:skill:{r}")
        person = staff.people[slot]
        assert person.hire_date is not None  # every demo person has a hire date
        plans.append(
            RepPlan(
                index=r,
                person_id=ids[slot],
                team_kind=teams[team_index][1],
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
