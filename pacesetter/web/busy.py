"""A write that meets "database is locked" answers 503 with ``Retry-After``, never 500.

On SQLite one writer at a time holds the database (WAL mode lets everyone read meanwhile).
A web write waits for the lock up to the busy timeout (``PACESETTER_SQLITE_TIMEOUT``, 5 s);
past it, SQLite says "database is locked". That happens while the worker holds the lock for
long (an import is written whole or not at all), and nothing of the request was written: its
changes were rolled back. The page says so, in the reader's language, and asks to try again.

``DatabaseBusyMiddleware`` answers for the views; ``server_error`` (``handler500``) for what
fails after them (a session saved on the way out).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER = 5  # seconds


def is_locked(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError) and is_locked_message(str(error))


def is_locked_message(text: str) -> bool:
    """SQLite's "database is locked" (or "database table is locked")."""
    return "is locked" in text.lower()


def busy_response(request: HttpRequest) -> HttpResponse:
    page = render_to_string("web/busy.html", {"retry_after": RETRY_AFTER}, request=request)
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_locked(exception) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, unless the error was a locked database (then the 503)."""
    if is_locked(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
