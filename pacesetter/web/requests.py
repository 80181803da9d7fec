"""What Pacesetter's middleware and view decorators add to a request, typed.

Django hands every view a plain ``HttpRequest``; these subclasses only name, for the type
checker, the attributes set on it on the way. A view annotates its ``request`` with the one
its decorators guarantee (``ScopedRequest`` under ``web.access.scoped``). Nothing creates
them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from pacesetter.goals.access import Scope


class OrgRequest(HttpRequest):
    """Any request, after Pacesetter's middleware and django-htmx's."""

    org_zone: dt.tzinfo  # web.middleware.org_time_zone: the org's time zone
    data_version: str | None  # web.middleware.org_time_zone: data_version.current, first thing
    htmx: HtmxDetails  # django_htmx.middleware.HtmxMiddleware
    _org_missing: bool  # web.middleware.org_missing's answer, once asked


class ScopedRequest(OrgRequest):
    """A request as a ``web.access.scoped`` view gets it: logged in, with "today" in the
    org's zone and what the user may see."""

    user: User
    today: dt.date
    scope: Scope
