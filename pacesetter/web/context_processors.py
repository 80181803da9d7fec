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
