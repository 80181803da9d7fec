"""The busiest pages are kept until the data changes, and served again as they were.

A team's grid or a rep's page takes tens of milliseconds to compute and render from a large
ledger, and is asked for again and again (a manager comes back to it; a rep reloads it; a
team lead leaves it open) while nothing changes. A view marked :func:`kept_until_data_changes`
answers a GET from memory when all of these are the same as when it was kept:

- the user (so what they may see was decided for them: the access rules ran then);
- the address with its query (filters, period, week), htmx fragment or whole page;
- the language, and the day in the org's time zone (pace and "still needed" move with it);
- the CSRF secret (the page's forms carry tokens made from it);
- the database's data version (``data_version.py``): anything written since, by anyone,
  and the page is computed afresh.

A page is kept only if it answered 200 without touching the session (no login, no messages
consumed) and the request had its CSRF cookie already. Nothing else is cached: writes,
refusals, redirects, downloads. ``PACESETTER_PAGE_CACHE`` (entries, default 200; 0 turns it
off) sets the size; ``Server-Timing`` says ``page;desc=hit`` or ``miss``.

Pages are kept as files in ``PACESETTER_PAGE_CACHE_DIR`` (default ``var/page-cache``, readable
by the server's user alone), which every server process shares: the data version names no
process once its writes are committed, so a page one worker computed another serves (with two
workers, half the first views were computed twice before). An empty value keeps them in
each process's memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pacesetter import data_version

CACHE = "pages"
View = Callable[..., HttpResponse]
KEPT_HEADERS = ("Content-Type", "Content-Language", "HX-Trigger", "HX-Push-Url")


def page_key(request: HttpRequest) -> str | None:
    """The key a GET of this page is kept under, or None when it may not be kept."""
    if request.method != "GET" or not settings.PAGE_CACHE_ENTRIES:
        return None
    user = getattr(request, "user", None)
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if user is None or not user.is_authenticated or not csrf:
        return None
    if len(get_messages(request)):
        return None  # messages to show (and consume): this once, computed
    # Read by the middleware before anything of the request was computed (or here).
    version = getattr(request, "data_version", None) or data_version.current(connection)
    if version is None:
        return None
    zone = getattr(request, "org_zone", None)
    today = timezone.localdate(timezone=zone) if zone else timezone.localdate()
    parts = (
        str(user.pk),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        today.isoformat(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        csrf,
        version,
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
    )


def kept_until_data_changes(view: View) -> View:
    """Serve the view's page from memory while nothing changed (outermost decorator: the
    access rules inside it ran for this very user when the page was kept)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = page_key(request)
        store = caches[CACHE]
        if key is not None:
            kept = store.get(key)
            if kept is not None:
                content, headers = kept
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                timing(request, 'page;desc="hit"')
                return response
        response = view(request, *args, **kwargs)
        if key is not None:
            if _keepable(request, response):
                headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                store.set(key, (response.content, headers))
            timing(request, 'page;desc="miss"')
        return response

    return wrapper


def timing(request: HttpRequest, metric: str) -> None:
    """Add a metric to the response's ``Server-Timing`` (``web.middleware.server_timing``)."""
    metrics: list[str] | None = getattr(request, "server_timing", None)
    if metrics is not None:
        metrics.append(metric)
