"""Limit/offset pages, and the filters several lists share (period, person, unit, metric)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from pacesetter import planning
from pacesetter.api.errors import ApiError
from pacesetter.api.schemas import MAX_ID
from pacesetter.org.selectors import work_calendar

MAX_LIMIT = 200
M = TypeVar("M", bound=Model)


class Paging(Schema):
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class Filters(Schema):
    period: str | None = Field(
        default=None, max_length=12, description="2026, FY2026, 2026-Q4, 2026-11, 2026-W47"
    )
    person: int | None = Field(default=None, ge=1, le=MAX_ID)
    unit: int | None = Field(default=None, ge=1, le=MAX_ID)
    metric: str | None = Field(default=None, max_length=64)


def period_of(label: str, field: str = "period") -> planning.Period:
    try:
        return planning.parse_period(label, work_calendar())
    except (ValueError, OverflowError):
        raise ApiError(
            422,
            _("Not a period: write 2026, FY2026, 2026-Q4, 2026-11, 2026-W47 or 2026-11-18."),
            fields={field: [_("not a period")]},
        ) from None


def page(rows: QuerySet[M], paging: Paging) -> tuple[list[M], dict[str, Any]]:
    """The rows of one page, and the page's count, limit and offset."""
    count = rows.count()
    items = list(rows[paging.offset : paging.offset + paging.limit])
    return items, {"count": count, "limit": paging.limit, "offset": paging.offset}
