"""CRM sync runs (admins, read only): when each ran, how many rows it wrote or refused,
whose CRM users matched nobody, and where the next one starts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router
from pydantic import Field

from pacesetter.api.errors import ERRORS, forbidden, not_found
from pacesetter.api.paging import Paging, page
from pacesetter.api.schemas import Id, Page, SyncRunOut
from pacesetter.api.security import scope_of
from pacesetter.integrations.models import SyncRun

router = Router(tags=["sync runs"])


class SyncFilters(Paging):
    connector: str | None = Field(default=None, max_length=32, description="hubspot, …")


def _runs(request: HttpRequest) -> QuerySet[SyncRun]:
    if not scope_of(request).is_admin:
        raise forbidden()
    return SyncRun.objects.order_by("-started", "-pk")


@router.get("/sync-runs", response={200: Page[SyncRunOut], **ERRORS})
def sync_runs_list(request: HttpRequest, query: Query[SyncFilters]) -> dict[str, Any]:
    runs = _runs(request)
    if query.connector:
        runs = runs.filter(connector=query.connector)
    items, meta = page(runs, query)
    return {**meta, "items": items}


@router.get("/sync-runs/{run_id}", response={200: SyncRunOut, **ERRORS})
def sync_run_read(request: HttpRequest, run_id: Path[Id]) -> SyncRun:
    run = _runs(request).filter(pk=run_id).first()
    if run is None:
        raise not_found()
    return run
