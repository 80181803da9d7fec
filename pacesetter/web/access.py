"""Who may see what, as pages answer it: the view decorators and the ``*_or_404`` look-ups.

The rules themselves (``Scope``, ``visible_scope``) live in ``goals/access.py``, shared with
commands and any future API. Here every page and fragment turns them into answers: views
refuse with 404 when an object is outside the scope (so a guessed id says nothing about what
exists), or 403 when the page is for another role altogether.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone

from pacesetter.goals.access import Scope, visible_goal, visible_person, visible_scope, visible_unit
from pacesetter.goals.models import Goal
from pacesetter.org.models import Person, Unit
from pacesetter.org.selectors import today_in_org
from pacesetter.web.requests import ScopedRequest

View = Callable[..., HttpResponse]


def scoped(view: View) -> View:
    """Log in first; then ``request.scope`` (what the user may see) and ``request.today``."""

    @login_required
    @wraps(view)
    def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        zone = getattr(request, "org_zone", None)  # set by web.middleware.org_time_zone
        today = timezone.localdate(timezone=zone) if zone else today_in_org()
        request.today = today
        request.scope = visible_scope(request.user, request.today)
        return view(request, *args, **kwargs)

    return wrapper


def managers_only(view: View) -> View:
    """A page for managers and admins: 403 for everyone else (after ``scoped``)."""

    @wraps(view)
    def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.scope.is_manager:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return scoped(wrapper)


def admins_only(view: View) -> View:
    """A page for admins: 403 for everyone else."""

    @wraps(view)
    def wrapper(request: ScopedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.scope.is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return scoped(wrapper)


def goal_or_404(scope: Scope, pk: int) -> Goal:
    goal = visible_goal(scope, pk)
    if goal is None:
        raise Http404
    return goal


def person_or_404(scope: Scope, pk: int) -> Person:
    person = visible_person(scope, pk)
    if person is None:
        raise Http404
    return person


def unit_or_404(scope: Scope, pk: int) -> Unit:
    unit = visible_unit(scope, pk)
    if unit is None:
        raise Http404
    return unit
