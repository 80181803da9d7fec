"""Login throttling: django-axes checks every password login that comes with a request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins for a locked-out username and address (django-axes).

    Every login over HTTP (the login page, the admin's) passes its request and is checked.
    Calls without a request come from code, not from a visitor — Django's test client and
    management commands — and have no address to lock out, so they are left to the next
    backend instead of failing.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
