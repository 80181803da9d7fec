"""Page or fragment: one URL answers both, told apart by htmx's HX-Request header; and the
page that refuses a request it cannot answer (400)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for part of a page (a history restore wants the whole page)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)  # None: no HtmxMiddleware ran
    if not htmx:
        return False
    return not htmx.history_restore_request


def page_or_fragment(
    request: HttpRequest,
    page: str,
    fragment: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    template = fragment if wants_fragment(request) else page
    response = render(request, template, context, status=status)
    # Caches must keep the page and the fragment of one URL apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 page saying why, in the reader's language (``message`` is escaped: it may
    quote what the visitor typed)."""
    context = {"message": message, "scope": getattr(request, "scope", None)}
    return render(request, "web/bad_request.html", context, status=400)
