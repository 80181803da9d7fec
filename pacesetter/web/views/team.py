"""The manager's pages: a team's grid, a rep's page, a team's check-ins; the org tree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from pacesetter.coaching.selectors import checkins_of
from pacesetter.goals.selectors import active_plan_on
from pacesetter.org.models import Unit
from pacesetter.org.selectors import members_on, subtree_ids
from pacesetter.web.access import managers_only, person_or_404, scoped, unit_or_404
from pacesetter.web.org_page import org_page
from pacesetter.web.page_cache import kept_until_data_changes
from pacesetter.web.panels import focus_panel
from pacesetter.web.rep_page import rep_page
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.team_page import GridFilters, team_page


@managers_only
def team_home(request: ScopedRequest) -> HttpResponse:
    """The first unit the manager manages; an admin without a team starts at the org."""
    units = request.scope.managed_units
    if units:
        return redirect("unit_team", pk=units[0].pk)
    return redirect("org")


@kept_until_data_changes
@scoped
def unit_team(request: ScopedRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request.scope, pk)
    viewer = request.scope.person.pk if request.scope.person else None
    filters = GridFilters.of(request.GET)
    page = team_page(unit, request.today, exclude=viewer, filters=filters)
    context = {"page": page, "scope": request.scope, "plan": active_plan_on(request.today)}
    return render(request, "web/team.html", context)


@scoped
def unit_checkins(request: ScopedRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(request.scope, pk)
    people = members_on(subtree_ids([unit.pk]), request.today)
    checkins = checkins_of([p.pk for p in people])
    context = {"unit": unit, "checkins": checkins, "scope": request.scope}
    return render(request, "web/checkins.html", context)


@kept_until_data_changes
@scoped
def person_detail(request: ScopedRequest, pk: int) -> HttpResponse:
    person = person_or_404(request.scope, pk)
    page = rep_page(request.scope, person, request.today)
    asked = request.GET.get("focus") == "any"
    focus = focus_panel(request.scope, person, request.today, asked=asked)
    context = {"page": page, "scope": request.scope, "focus": focus}
    return render(request, "web/person.html", context)


@kept_until_data_changes
@managers_only
def org(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    roots = (
        list(Unit.objects.filter(parent__isnull=True))
        if scope.is_admin
        else list(scope.managed_units)
    )
    page = org_page(roots, request.today)
    return render(request, "web/org.html", {"page": page, "scope": scope, "root": None})


@kept_until_data_changes
@scoped
def org_unit(request: ScopedRequest, pk: int) -> HttpResponse:
    if not request.scope.is_manager:
        raise PermissionDenied
    unit = unit_or_404(request.scope, pk)
    page = org_page([unit], request.today)
    return render(request, "web/org.html", {"page": page, "scope": request.scope, "root": unit})
