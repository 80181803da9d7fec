"""People and units, as far as the caller may see them: an admin everyone; a manager the
people and units of their subtrees; a rep themselves and their own team (its aggregates)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router

from pacesetter.api.errors import ERRORS, not_found
from pacesetter.api.paging import Paging, page
from pacesetter.api.schemas import Id, Page, PersonOut, UnitOut
from pacesetter.api.security import scope_of
from pacesetter.goals.access import Scope
from pacesetter.org.models import Membership, Person, Unit
from pacesetter.org.selectors import subtree_ids

router = Router(tags=["people and units"])


def _people(scope: Scope) -> QuerySet[Person]:
    people = Person.objects.order_by("full_name", "pk")
    if scope.is_admin:
        return people
    return people.filter(pk__in=scope.person_ids | scope.mentee_ids)


def _units(scope: Scope) -> QuerySet[Unit]:
    units = Unit.objects.order_by("name", "pk")
    if scope.is_admin:
        return units
    return units.filter(pk__in=scope.unit_ids | scope.team_unit_ids)


def _person_rows(people: list[Person], scope: Scope) -> list[dict[str, Any]]:
    teams = dict(
        Membership.objects.filter(person__in=people)
        .on(scope.day)
        .values_list("person_id", "unit_id")
    )
    return [
        {
            "id": p.pk,
            "full_name": p.full_name,
            "email": p.email,
            "hire_date": p.hire_date,
            "leave_date": p.leave_date,
            "unit_id": teams.get(p.pk),
        }
        for p in people
    ]


@router.get("/people", response={200: Page[PersonOut], **ERRORS})
def people_list(
    request: HttpRequest, paging: Query[Paging], unit: Id | None = None
) -> dict[str, Any]:
    """The people the caller may see; ``unit``: those who belong to it (or below) today."""
    scope = scope_of(request)
    people = _people(scope)
    if unit is not None:
        if not scope.sees_unit(unit):
            raise not_found()
        members = Membership.objects.filter(unit_id__in=subtree_ids([unit])).on(scope.day)
        people = people.filter(pk__in=members.values("person_id"))
    items, meta = page(people, paging)
    return {**meta, "items": _person_rows(items, scope)}


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS})
def person_read(request: HttpRequest, person_id: Path[Id]) -> dict[str, Any]:
    scope = scope_of(request)
    person = _people(scope).filter(pk=person_id).first()
    if person is None:
        raise not_found()
    return _person_rows([person], scope)[0]


@router.get("/units", response={200: Page[UnitOut], **ERRORS})
def units_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    """The units the caller may see: all (admin), the managed subtrees, the own team."""
    items, meta = page(_units(scope_of(request)), paging)
    return {**meta, "items": items}


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def unit_read(request: HttpRequest, unit_id: Path[Id]) -> Unit:
    unit = _units(scope_of(request)).filter(pk=unit_id).first()
    if unit is None:
        raise not_found()
    return unit
