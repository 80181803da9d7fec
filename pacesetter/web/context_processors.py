"""What every page's layout needs: the viewer's scope (for the navigation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _imports_enabled() -> bool:
    try:
        reverse("imports")
    except NoReverseMatch:
        return False
    return True


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"scope": getattr(request, "scope", None), "imports_enabled": _imports_enabled()}


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The viewer's unread notices for the navigation, counted only when a page shows it
    (one query; templates call it once, in a ``{% with %}``)."""
    from pacesetter.notifications.selectors import unread_count

    user = getattr(request, "user", None)
    return {"unread_notifications": lambda: unread_count(user)}
