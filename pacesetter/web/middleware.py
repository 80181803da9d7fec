"""Every date and time a page shows is in the org's time zone, not the server's.

Times are stored in UTC; this activates the org's zone (Admin → Organisation settings) for
the request, so templates, forms and the admin convert to it, and records it on the request
(``request.org_zone``) so ``scoped`` views take "today" from it without a second query.

Before the org exists, ``first_run`` leads the home and login pages to the first-run page.

``content_security_policy`` sends ``settings.CONTENT_SECURITY_POLICY`` with every response.

``server_timing`` sends the time the app took (``Server-Timing: app;dur=…``, in ms), and
what else was noted on the request's ``server_timing`` list (the page cache's hit or miss).
"""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from pacesetter import data_version
from pacesetter.org.models import OrgSettings, Unit

if TYPE_CHECKING:
    from pacesetter.web.requests import OrgRequest


_zone_kept: tuple[str, zoneinfo.ZoneInfo] | None = None  # (data version, the org's zone)


def _org_zone(version: str | None) -> zoneinfo.ZoneInfo:
    """The org's time zone, read again only when the data changed (``data_version.py``): a
    query less on every request, most of what a page served from the page cache costs."""
    global _zone_kept
    kept = _zone_kept
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    zone = OrgSettings.load().zone
    if version is not None:
        _zone_kept = (version, zone)
    return zone


def data_version_first(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Read the data version once, before anything of the request is read or computed: the
    page cache, the org's settings, and (GET and HEAD only) the session and user
    (``web/sessions.py``) are kept under it."""

    def middleware(request: OrgRequest) -> HttpResponse:
        request.data_version = data_version.current(connection)
        safe = request.method in ("GET", "HEAD")
        token = data_version.REQUEST.set(request.data_version if safe else None)
        try:
            return get_response(request)
        finally:
            data_version.REQUEST.reset(token)

    return middleware


def org_time_zone(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: OrgRequest) -> HttpResponse:
        zone = _org_zone(getattr(request, "data_version", None))
        request.org_zone = zone
        timezone.activate(zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def org_missing(request: OrgRequest) -> bool:
    """Whether the org has no company yet (the first run): one query, kept on the request."""
    missing = getattr(request, "_org_missing", None)
    if missing is None:
        missing = not Unit.objects.filter(kind=Unit.Kind.COMPANY).exists()
        request._org_missing = missing
    return missing


def first_run(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Until the org is set up, the home page and the login page lead to the first-run page.

    Only those two paths are looked at (static files, ``healthz`` and every other page cost
    nothing). An anonymous visitor of the home page is sent to log in as always, and from
    there on. The login page leads on only while there is no user at all: a superuser made
    with ``createsuperuser`` logs in first, then sets up.
    """

    def middleware(request: OrgRequest) -> HttpResponse:
        path = request.path_info
        if path == reverse("home"):
            leads_on = request.user.is_authenticated and org_missing(request)
        elif path == reverse("login"):
            leads_on = org_missing(request) and not get_user_model().objects.exists()
        else:
            leads_on = False
        return redirect("first_run") if leads_on else get_response(request)

    return middleware


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """The Content-Security-Policy header: scripts only from our own static files (no inline
    script, no ``on…=`` handler), so that a name or note that slipped through escaping still
    runs nothing. A response that sets its own policy keeps it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response

    return middleware


def server_timing(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        metrics: list[str] = []
        request.server_timing = metrics  # type: ignore[attr-defined]
        response = get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = ", ".join([f"app;dur={elapsed:.1f}", *metrics])
        return response

    return middleware
