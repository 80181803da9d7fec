"""Reads about the org: who someone is, their roles, their team on a day, a unit's subtree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from pacesetter.org.models import Holiday, Membership, OrgSettings, Person, Role, Unit
from pacesetter.planning import WorkCalendar


@dataclass(frozen=True)
class Profile:
    """Who a logged-in user is in the org, as the pages need it."""

    person: Person | None
    roles: tuple[str, ...]
    team: Unit | None
    managed_units: tuple[Unit, ...]

    @property
    def headline_role(self) -> str:
        """The role a page leads with: admin, else manager, else rep, else mentor."""
        for kind in (Role.Kind.ADMIN, Role.Kind.MANAGER, Role.Kind.REP, Role.Kind.MENTOR):
            if kind in self.roles:
                return kind
        return ""


def person_for_user(user: User | AnonymousUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def unit_of(person: Person, day: dt.date) -> Unit | None:
    """The unit the person belonged to on ``day`` (memberships never overlap)."""
    membership = Membership.objects.filter(person=person).on(day).select_related("unit").first()
    return membership.unit if membership else None


def profile_for_user(user: User | AnonymousUser, today: dt.date) -> Profile:
    person = person_for_user(user)
    if person is None:
        roles: tuple[str, ...] = ("admin",) if getattr(user, "is_superuser", False) else ()
        return Profile(None, roles, None, ())
    role_rows = list(Role.objects.filter(person=person).select_related("unit"))
    roles = tuple(sorted({r.kind for r in role_rows}))
    if getattr(user, "is_superuser", False) and "admin" not in roles:
        roles = tuple(sorted((*roles, "admin")))
    managed = tuple(r.unit for r in role_rows if r.kind == Role.Kind.MANAGER and r.unit)
    return Profile(person, roles, unit_of(person, today), managed)


def subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The ids of the given units and every unit below them (one query for the whole tree)."""
    return set().union(set(), *subtrees(root_ids).values())


def subtrees(root_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each given unit, its id and the ids of every unit below it (one query)."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in Unit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    result = {}
    for root in root_ids:
        found: set[int] = set()
        stack = [root]
        while stack:
            unit_id = stack.pop()
            if unit_id in found:
                continue
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
        result[root] = found
    return result


def members_on(unit_ids: set[int] | list[int], day: dt.date) -> list[Person]:
    """The people who belonged to any of the units on ``day``."""
    person_ids = Membership.objects.filter(unit_id__in=unit_ids).on(day).values("person_id")
    return list(Person.objects.filter(id__in=person_ids))


def work_calendar(org: OrgSettings | None = None) -> WorkCalendar:
    """The org's calendar (week start, working days, holidays, fiscal year) for planning.
    Pass the settings when they are already loaded (one query fewer)."""
    org = org or OrgSettings.load()
    return WorkCalendar(
        week_start=org.week_start,
        working_weekdays=org.working_weekday_set,
        holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
        fiscal_year_start_month=org.fiscal_year_start_month,
    )


def today_in_org() -> dt.date:
    """Today's date in the org's time zone (a rep in New York at 8 pm is still on today)."""
    return timezone.now().astimezone(OrgSettings.load().zone).date()
