"""What the API answers and accepts (pydantic models through django-ninja)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from ninja import Schema
from pydantic import Field

MAX_ID = 2**31 - 1
MAX_TARGET = Decimal("999999999999.99")
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    hire_date: dt.date | None
    leave_date: dt.date | None
    unit_id: int | None  # the unit they belong to today


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None


class GoalOut(Schema):
    id: int
    metric: str
    person_id: int | None
    unit_id: int | None
    kind: str
    period: str  # 2026-11, 2026-W47, 2026-Q4
    period_kind: str
    period_start: dt.date
    period_end: dt.date  # the first day after the period
    target: Decimal
    priority: int
    note: str
    version: int
    plan_id: int | None


class GoalIn(Schema):
    metric: str = Field(min_length=1, max_length=64)
    person_id: Id | None = None
    unit_id: Id | None = None
    kind: str = "standard"
    period: str = Field(min_length=1, max_length=12, description="2026-12, 2026-W49, 2026-Q4")
    target: Decimal = Field(ge=0, le=MAX_TARGET, decimal_places=2)
    priority: int = Field(default=5, ge=1, le=99)
    note: str = Field(default="", max_length=300)
    stretch_percent: Decimal | None = Field(default=None, ge=101, le=500, decimal_places=2)


class TargetIn(Schema):
    target: Decimal = Field(ge=0, le=MAX_TARGET, decimal_places=2)
    reason: str = Field(min_length=1, max_length=300)
    based_on: int = Field(ge=1, le=MAX_ID, description="the goal's version the change is based on")
    priority: int | None = Field(default=None, ge=1, le=99)


class GoalChangeOut(Schema):
    version: int
    changed_at: dt.datetime
    changed_by: str | None
    old_target: Decimal | None
    new_target: Decimal
    reason: str


class ProgressOut(Schema):
    goal_id: int
    metric: str
    period: str
    target: Decimal
    actual: Decimal | None
    expected: Decimal
    projected: Decimal | None
    attainment: Decimal | None  # percent of the target
    status: str  # achieved, on_track, at_risk, behind
    remaining_days: int
    needed_per_day: Decimal | None


class StandingOut(Schema):
    rank: int
    tied: bool
    person_id: int
    full_name: str
    value: Decimal | None
    percent: Decimal | None
    target: Decimal | None


class LeaderboardOut(Schema):
    unit_id: int
    metric: str
    period: str
    standings: list[StandingOut]


class AwardOut(Schema):
    id: int
    person_id: int
    goal_id: int
    rule: str
    period_start: dt.date
    value: Decimal
    status: str
    funded: bool
    detail: str
    earned_at: dt.datetime


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str  # queued, running, done, failed
    file: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str


class ImportReportOut(Schema):
    job_id: int | None
    report: dict[str, Any] | None
    errors_csv: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class SyncRunOut(Schema):
    id: int
    connector: str
    status: str  # running, done, partial, failed
    started: dt.datetime
    finished: dt.datetime | None
    full: bool
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rejected: int
    removed: int
    error_count: int
    errors: list[dict[str, Any]]
    unmatched_owners: list[dict[str, Any]]
    cursor_before: dict[str, Any]
    cursor_after: dict[str, Any]
    requested_by: str
