"""Shared fixtures: a small, realistic org that every permission test can reason about.

Northwind (company)
└── Americas (region)              — managed by Rhea (regional manager)
    ├── Team Alpha (team)          — managed by Mia; reps Alice and Bob
    └── Team Beta (team)           — rep Charlie
Olga is the admin (sales ops). Everyone's password is "pw-for-tests".
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from pacesetter.org.models import Membership, Person, Role, Unit

PASSWORD = "pw-for-tests"
SINCE = dt.date(2025, 1, 1)


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


def run_command(command: str) -> str:
    """A ``pacesetter`` command as typed in a terminal (without the program name); returns
    what it prints."""
    name, *args = shlex.split(command)
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()
