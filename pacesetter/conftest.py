"""Shared fixtures: a small, realistic org that every permission test can reason about.

Northwind (company)
└── Americas (region)              — managed by Rhea (regional manager)
    ├── Team Alpha (team)          — managed by Mia; reps Alice and Bob
    └── Team Beta (team)           — rep Charlie
Olga is the admin (sales ops). Everyone's password is "pw-for-tests".

Every test runs at a pinned instant, never at the machine's: ``SUITE_NOW`` unless the test
says otherwise with ``@pytest.mark.time_machine("2027-01-03 09:00 -05:00")`` (or moves
the clock itself with the ``time_machine`` fixture). The clock ticks on from there, so
code that measures durations still sees time pass.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit

PASSWORD = "pw-for-tests"
SINCE = dt.date(2025, 1, 1)
# Wednesday 18 November 2026, 10:00 in New York (the demo org's zone), 15:00 UTC: mid-week,
# mid-month, mid-quarter. Tests about edges pin their own instant.
SUITE_NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _pinned_clock(request: pytest.FixtureRequest, time_machine) -> None:
    """Pin the clock (see the module docstring): no test depends on the real date."""
    if request.node.get_closest_marker("time_machine") is None:
        time_machine.move_to(SUITE_NOW)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language (English): a page asked for in Chinese
    leaves Chinese active in the thread, and messages made afterwards would follow it."""
    translation.deactivate()
    yield
    translation.deactivate()


@dataclass
class SmallOrg:
    company: Unit
    region: Unit
    alpha: Unit
    beta: Unit
    admin: Person
    regional_manager: Person
    manager: Person
    alice: Person
    bob: Person
    charlie: Person


def make_person(name: str, *, staff: bool = False, hire: dt.date = SINCE) -> Person:
    username = name.split()[0].lower()
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", PASSWORD, is_staff=staff, is_superuser=staff
    )
    return Person.objects.create(
        full_name=name, email=f"{username}@example.com", user=user, hire_date=hire
    )


@pytest.fixture
def small_org(db) -> SmallOrg:
    company = Unit.objects.create(name="Northwind", kind=Unit.Kind.COMPANY)
    region = Unit.objects.create(name="Americas", kind=Unit.Kind.REGION, parent=company)
    alpha = Unit.objects.create(name="Team Alpha", kind=Unit.Kind.TEAM, parent=region)
    beta = Unit.objects.create(name="Team Beta", kind=Unit.Kind.TEAM, parent=region)
    admin = make_person("Olga Ops", staff=True)
    regional = make_person("Rhea Region")
    manager = make_person("Mia Manager")
    alice = make_person("Alice Adams")
    bob = make_person("Bob Brown")
    charlie = make_person("Charlie Chen")
    Role.objects.create(person=admin, kind=Role.Kind.ADMIN)
    Role.objects.create(person=regional, kind=Role.Kind.MANAGER, unit=region)
    Role.objects.create(person=manager, kind=Role.Kind.MANAGER, unit=alpha)
    for person, unit in [
        (admin, company),
        (regional, region),
        (manager, alpha),
        (alice, alpha),
        (bob, alpha),
        (charlie, beta),
    ]:
        Membership.objects.create(person=person, unit=unit, valid_from=SINCE)
    for rep in (alice, bob, charlie):
        Role.objects.create(person=rep, kind=Role.Kind.REP)
    return SmallOrg(company, region, alpha, beta, admin, regional, manager, alice, bob, charlie)


def set_org_time_zone(name: str) -> None:
    """Move the org to the time zone ``name`` (the settings row is created when missing)."""
    org = OrgSettings.load()
    org.time_zone = name
    org.save()


def run_command(command: str) -> str:
    """A ``pacesetter`` command as typed in a terminal (without the program name); returns
    what it prints."""
    name, *args = shlex.split(command)
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def quiet_database(monkeypatch):
    """The data version as on a database server where only this test writes: it moves with
    each write of this process and nothing else. On PostgreSQL the real one (the WAL
    position) also moves with autovacuum and other databases' writes — a needless recompute,
    never a stale page (``test_page_cache.py`` tests the real one) — which would make counts
    of what is kept between requests change from run to run."""
    from pacesetter import data_version

    monkeypatch.setattr(data_version, "current", lambda connection: f"q{data_version._last}")
