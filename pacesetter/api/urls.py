"""The API's addresses: ``/api/…`` (django-ninja) and the API tokens page.

Whatever else is asked under ``/api/`` answers with the API's error body too: an unknown
address 404, a method an address does not take 405 (with ``Allow``), not the site's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from pacesetter.api import views
from pacesetter.api.errors import body
from pacesetter.api.main import api


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        message = _("This address does not take %(method)s.") % {"method": request.method}
        refused = JsonResponse(body("method_not_allowed", message), status=405)
        refused["Allow"] = response.get("Allow", "")
        return refused

    return wrapper


@csrf_exempt
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return JsonResponse(body("not_found", _("There is no such address in the API.")), status=404)


# (not ``app_name``: a module-level app_name would put this whole module in a namespace)
_patterns, _app, _namespace = api.urls
for pattern in _patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = _json_405(pattern.callback)

urlpatterns = [
    path("api/", include((_patterns, _app), namespace=_namespace)),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("account/tokens/", views.tokens_page, name="api_tokens"),
]
