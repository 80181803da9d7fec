"""Every refusal of the API has the same body::

    {"error": {"code": "not_found", "message": "…", "fields": {"target": ["…"]}}}

``fields`` only when input was refused field by field; a stale edit adds ``current`` (the
goal as it is now) and ``changes`` (what changed meanwhile). The message is in the
caller's language (``Accept-Language``), the code is stable for programs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None
    current: dict[str, Any] | None = None
    changes: list[dict[str, Any]] | None = None


class ErrorOut(Schema):
    error: ErrorBody


# What every operation may answer besides its success.
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class ApiError(Exception):
    """A refusal with its status, code and message (and, for input, the fields)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "error")
        self.fields, self.headers, self.extra = fields, headers or {}, extra


def not_found() -> ApiError:
    return ApiError(404, _("Not found, or not yours to see."))


def forbidden() -> ApiError:
    return ApiError(403, _("Your role may not do this."))


def body(code: str, message: str, **more: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    error.update({k: v for k, v in more.items() if v is not None})
    return {"error": error}


def _fields(exc: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) > 2 and loc[0] in ("body", "form"):
            loc = loc[2:]  # the body's fields, not the handler's argument that holds them
        elif loc and loc[0] in ("body", "form", "query", "path", "file"):
            loc = loc[1:]
        key = ".".join(loc) or "request"
        fields.setdefault(key, []).append(str(error.get("msg", "")))
    return fields


def install(api: NinjaAPI) -> None:
    """Answer every refusal with the one error body."""

    def respond(request: HttpRequest, status: int, data: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, data, status=status)

    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        data = body(exc.code, exc.message, fields=exc.fields, **exc.extra)
        response = respond(request, exc.status, data)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("Some of what was sent is not valid: see fields.")
        return respond(request, 422, body("invalid", message, fields=_fields(exc)))

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("Log in, or send a valid token: Authorization: Bearer <token>.")
        response = respond(request, 401, body("unauthenticated", message))
        response["WWW-Authenticate"] = 'Bearer realm="pacesetter"'
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        status = exc.status_code
        return respond(request, status, body(CODES.get(status, "error"), str(exc)))

    def missing(request: HttpRequest, exc: Any) -> HttpResponse:
        return api_error(request, not_found())

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return api_error(request, forbidden())

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(PermissionDenied, denied)
