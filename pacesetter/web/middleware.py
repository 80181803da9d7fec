"""Every date and time a page shows is in the org's time zone, not the server's.

Times are stored in UTC; this activates the org's zone (Admin → Organisation settings) for
the request, so templates, forms and the admin convert to it, and records it on the request
(``request.org_zone``) so ``scoped`` views take "today" from it without a second query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pacesetter.org.models import OrgSettings


def org_time_zone(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        zone = OrgSettings.load().zone
        request.org_zone = zone  # type: ignore[attr-defined]
        timezone.activate(zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
