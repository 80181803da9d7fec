"""The refusals people meet: a page of another role (403), and a form sent with an expired
security token (Django's CSRF check, also a 403).

Both render ``403.html`` inside the layout, with the navigation of the viewer's role, a
sentence saying what happened and a link to the page that fits the role (My goals, the
team's page or the org's), instead of Django's bare "403 Forbidden".
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pacesetter.goals.access import Scope, visible_scope
from pacesetter.org.selectors import today_in_org
from pacesetter.web.views.home import landing_url


def _scope(request: HttpRequest) -> Scope | None:
    """The viewer's scope, for the navigation: the view's, or read now when the refusal
    came before a view set it (None for a visitor who is not logged in)."""
    scope: Scope | None = getattr(request, "scope", None)
    if scope is None and request.user.is_authenticated:
        scope = visible_scope(request.user, today_in_org())
        request.scope = scope  # type: ignore[attr-defined]  # read by the nav's context
    return scope


def _way_out(scope: Scope | None) -> tuple[str, str]:
    """The page to go to instead, and its name in a sentence."""
    if scope is None:
        return "/", _("the start page")
    found = landing_url(scope)
    if found is None:
        return "/", _("My goals")
    if scope.managed_units:
        return found, _("your team's page")
    return found, _("the org page")


def _refusal(request: HttpRequest, *, expired: bool) -> HttpResponse:
    scope = _scope(request)
    url, name = _way_out(scope)
    person = scope.person if scope is not None else None
    context = {"scope": scope, "expired": expired, "way_out": url, "way_out_name": name,
               "viewer": person.full_name if person else ""}  # fmt: skip
    return render(request, "403.html", context, status=403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: a page of another role."""
    return _refusal(request, expired=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent with a missing or outdated security token."""
    return _refusal(request, expired=True)
