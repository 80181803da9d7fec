"""Who is calling: a personal access token (``Authorization: Bearer pst_…``) or the
browser's session (with its CSRF token on writes); then what they may see (the same
``visible_scope`` as the pages) and how often they may ask (per token, or per user for a
session: ``settings.API_RATE_LIMIT`` requests a minute, then 429 with Retry-After).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from pacesetter.api.errors import ApiError
from pacesetter.api.models import AccessToken
from pacesetter.api.tokens import token_user
from pacesetter.goals.access import Scope, visible_scope
from pacesetter.org.selectors import today_in_org

WINDOW = 60  # seconds: the rate limit counts requests per minute


@dataclass(frozen=True)
class Caller:
    """The user behind a request, and the token they sent (None: the browser's session)."""

    user: User
    token: AccessToken | None = None

    def __str__(self) -> str:
        return f"token:{self.token.pk}" if self.token else f"user:{self.user.pk}"


def _throttle(caller: Caller) -> None:
    """Count the request in the caller's minute; past the limit, 429 with Retry-After."""
    limit = int(getattr(settings, "API_RATE_LIMIT", 600))
    if limit <= 0:
        return
    now = time.time()
    window = int(now // WINDOW)
    key = f"pacesetter-api-rate:{caller}:{window}"
    cache.add(key, 0, WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW + 5)
        count = 1
    if count > limit:
        wait = max(1, int((window + 1) * WINDOW - now) + 1)
        raise ApiError(
            429,
            _("Too many requests: at most %(n)d a minute. Try again in %(s)d seconds.")
            % {"n": limit, "s": wait},
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pst_…``: an active personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = token_user(token)
        if found is None:
            return None
        caller = Caller(found[1], found[0])
        _throttle(caller)
        return caller


class BrowserSession(SessionAuth):
    """The logged-in browser (CSRF token required on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if not user.is_authenticated:
            return None
        caller = Caller(user)
        _throttle(caller)
        return caller


AUTH = [TokenAuth(), BrowserSession()]


def caller_of(request: HttpRequest) -> Caller:
    return cast(Caller, cast(Any, request).auth)


def scope_of(request: HttpRequest) -> Scope:
    """What the caller may see today (the org's today), once per request."""
    found = getattr(request, "_api_scope", None)
    if found is None:
        zone = getattr(request, "org_zone", None)  # set by web.middleware.org_time_zone
        today = timezone.localdate(timezone=zone) if zone else today_in_org()
        found = visible_scope(caller_of(request).user, today)
        cast(Any, request)._api_scope = found
    return cast(Scope, found)
