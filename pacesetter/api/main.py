"""The JSON API (django-ninja): ``/api/v1/…``, its OpenAPI schema at ``/api/openapi.json``
and its docs at ``/api/docs`` (Swagger UI served from our own static files: the CSP allows
no other host and no inline script).

Callers authenticate with a personal access token (``Authorization: Bearer pst_…``, made on
the API tokens page or with ``pacesetter token create``) or, from the browser, with their
session (and the CSRF token on writes). They see what the pages would show them
(``goals/access.visible_scope``); everything is written through the apps' services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from pacesetter.api import errors
from pacesetter.api.routers import goals, imports, org, reads, sync
from pacesetter.api.security import AUTH

api = NinjaAPI(
    title="Pacesetter API",
    version="1",
    description=str(
        _(
            "Goals, progress, leaderboards, rewards and imports, as far as the caller may see "
            "them. Send a personal access token: Authorization: Bearer <token>."
        )
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
for module in (org, goals, reads, imports, sync):
    api.add_router("/v1/", module.router)
