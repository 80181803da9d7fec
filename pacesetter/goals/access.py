"""Who may see and change what: the one place that decides, for pages, commands and APIs.

``visible_scope(user, day)`` reads the user's roles once and answers:

* an **admin** (the admin role, or a superuser) sees and edits everything;
* a **manager** sees the subtree of each unit they manage — its units, and the people who
  belong to one of them on the day — and edits their goals (not their own);
* a **rep** sees their own goals and entries, and the team-level numbers of their own team:
  its collective and team goals and its leaderboard;
* a **mentor** sees the development goals of their mentees.

These are rules only: how a refusal is answered (a 404 so that a guessed id says nothing
about what exists, a 403 for a page of another role) is the caller's business — see
``web/access.py`` for the pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from pacesetter.goals.models import Goal
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.org.selectors import subtrees


@dataclass(frozen=True)
class Scope:
    """What one user may see and edit on one day."""

    day: dt.date
    is_admin: bool = False
    person: Person | None = None
    team: Unit | None = None  # the unit the user belongs to on the day
    managed_units: tuple[Unit, ...] = ()
    unit_ids: frozenset[int] = frozenset()  # managed subtrees: full view
    team_unit_ids: frozenset[int] = frozenset()  # own team: aggregates only
    person_ids: frozenset[int] = frozenset()  # everything of these people
    can_edit_person_ids: frozenset[int] = frozenset()
    mentee_ids: frozenset[int] = frozenset()  # their development goals only
    roles: tuple[str, ...] = field(default=())

    @property
    def is_manager(self) -> bool:
        return self.is_admin or bool(self.managed_units)

    def sees_person(self, person_id: int) -> bool:
        return self.is_admin or person_id in self.person_ids

    def sees_person_page(self, person_id: int) -> bool:
        """A person's page: all of their goals, or a mentee's development goals."""
        return self.sees_person(person_id) or person_id in self.mentee_ids

    def sees_unit(self, unit_id: int) -> bool:
        """The unit's full view: its people, their goals, its grid."""
        return self.is_admin or unit_id in self.unit_ids

    def sees_unit_aggregates(self, unit_id: int) -> bool:
        """The unit's own goals and leaderboard (what a rep sees of their team)."""
        return self.sees_unit(unit_id) or unit_id in self.team_unit_ids

    def edits_person(self, person_id: int) -> bool:
        return self.is_admin or person_id in self.can_edit_person_ids

    def edits_unit(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.unit_ids

    def sees_goal(self, goal: Goal) -> bool:
        if goal.person_id is not None:
            return self.sees_person(goal.person_id) or (
                goal.person_id in self.mentee_ids and goal.kind == Goal.Kind.DEVELOPMENT
            )
        assert goal.unit_id is not None  # a goal is a person's or a unit's
        return self.sees_unit_aggregates(goal.unit_id)

    def edits_goal(self, goal: Goal) -> bool:
        if goal.person_id is not None:
            return self.edits_person(goal.person_id)
        assert goal.unit_id is not None  # a goal is a person's or a unit's
        return self.edits_unit(goal.unit_id)

    def goals(self) -> QuerySet[Goal]:
        """Every goal this scope may see, as a filter the database applies."""
        goals = Goal.objects.all()
        if self.is_admin:
            return goals
        return goals.filter(
            Q(person_id__in=self.person_ids)
            | Q(unit_id__in=self.unit_ids | self.team_unit_ids)
            | Q(person_id__in=self.mentee_ids, kind=Goal.Kind.DEVELOPMENT)
        )

    def editable_people(self) -> QuerySet[Person]:
        people = Person.objects.all()
        return people if self.is_admin else people.filter(pk__in=self.can_edit_person_ids)

    def editable_units(self) -> QuerySet[Unit]:
        units = Unit.objects.all()
        return units if self.is_admin else units.filter(pk__in=self.unit_ids)


def visible_scope(user: User | AnonymousUser, day: dt.date) -> Scope:
    """What ``user`` may see on ``day`` (a handful of queries whatever the org's size)."""
    if not user.is_authenticated:
        return Scope(day)
    person = Person.objects.filter(user=user).first()
    superuser = bool(getattr(user, "is_superuser", False))
    if person is None:
        return Scope(day, is_admin=superuser, roles=("admin",) if superuser else ())
    roles = list(Role.objects.filter(person=person).select_related("unit"))
    kinds = {r.kind for r in roles}
    is_admin = superuser or Role.Kind.ADMIN in kinds
    if is_admin:
        kinds.add(Role.Kind.ADMIN)
    membership = Membership.objects.filter(person=person).on(day).select_related("unit").first()
    team = membership.unit if membership else None
    managed = tuple(r.unit for r in roles if r.kind == Role.Kind.MANAGER and r.unit)
    unit_ids: set[int] = set()
    if managed:
        unit_ids = set().union(*subtrees(u.pk for u in managed).values())
    managed_people = (
        set(
            Membership.objects.filter(unit_id__in=unit_ids)
            .on(day)
            .values_list("person_id", flat=True)
        )
        if unit_ids
        else set()
    )
    return Scope(
        day=day,
        is_admin=is_admin,
        person=person,
        team=team,
        managed_units=managed,
        unit_ids=frozenset(unit_ids),
        team_unit_ids=frozenset({team.pk} if team else ()),
        person_ids=frozenset(managed_people | {person.pk}),
        can_edit_person_ids=frozenset(managed_people - {person.pk}),
        # A mentor's role names its mentee (role_has_its_object).
        mentee_ids=frozenset(
            r.mentee_id for r in roles if r.kind == Role.Kind.MENTOR and r.mentee_id is not None
        ),
        roles=tuple(sorted(kinds)),
    )


def visible_goal(scope: Scope, pk: int) -> Goal | None:
    """The goal ``pk`` with its person and unit, if ``scope`` may see it (None otherwise,
    whether it exists or not)."""
    goal = Goal.objects.select_related("person", "unit").filter(pk=pk).first()
    if goal is None or not scope.sees_goal(goal):
        return None
    return goal


def visible_person(scope: Scope, pk: int) -> Person | None:
    """The person ``pk``, if ``scope`` may see their page (all their goals, or a mentee's
    development goals)."""
    if not scope.sees_person_page(pk):
        return None
    return Person.objects.filter(pk=pk).first()


def visible_unit(scope: Scope, pk: int) -> Unit | None:
    """The unit ``pk``, if ``scope`` has its full view (its people, their goals, its grid)."""
    if not scope.sees_unit(pk):
        return None
    return Unit.objects.filter(pk=pk).first()
