"""``sync_run``: one sync of one CRM, recorded as a ``SyncRun``.

For each object type of the connector, in order (accounts before the deals and activities
that name them): every page of records modified since the type's cursor is written as
export rows to a temporary CSV file, which ``run_import`` imports with the vendor's preset
and the vendor as source, exactly as ``pacesetter import KIND FILE --preset VENDOR`` would
(one transaction, rows checked, upserted by (source, external id), rollups, the report,
``ledger_changed``). Rows that fail are refused one by one (``skip_bad``) and listed on the
run; records deleted or merged away in the CRM are then removed from the ledger.

Each sync asks from ``OVERLAP`` before the cursor, so that a record the CRM made visible
late is not missed; the records read twice are unchanged. A type's cursor moves to the
newest modification read only when its rows were all written: while a row is refused (an
owner nobody matches, say) the next sync reads it again, so fixing the org file is enough
for it to arrive. A dry run writes nothing and moves no cursor.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from pacesetter.integrations.connectors import Connector, ObjectType, connector_for
from pacesetter.integrations.connectors.base import newest, parse_instant
from pacesetter.integrations.http import ApiError
from pacesetter.integrations.models import ERRORS_KEPT, SyncCursor, SyncRun
from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.importers.report import ImportReport, RowError
from pacesetter.ledger.removal import ledger_rows_remove

# A record saved just before the last sync's newest one may reach the CRM's search or query
# after it (HubSpot's search index lags; a Salesforce transaction commits after its
# SystemModstamp): each sync asks again from a little before its cursor.
OVERLAP = dt.timedelta(minutes=2)


@dataclass
class _Read:
    """One object type's records, read: the CSV file of their rows and what went."""

    path: str
    rows: int = 0
    removed: list[str] = field(default_factory=list)
    newest: dt.datetime | None = None


def sync_run(
    name: str,
    *,
    full: bool = False,
    dry_run: bool = False,
    requested_by: str = "",
    progress: Callable[[int], object] | None = None,
    connector: Connector | None = None,
) -> SyncRun:
    """Sync ``name`` (hubspot, pipedrive, salesforce); the run, finished. A CRM that keeps
    failing (``ApiError``) fails the run, keeping what earlier object types wrote.
    ``NotConfigured`` when the connector's credentials are not set."""
    connector = connector or connector_for(name)
    cursors = dict(SyncCursor.objects.filter(connector=name).values_list("object_type", "cursor"))
    run = SyncRun.objects.create(
        connector=name,
        full=full,
        dry_run=dry_run,
        requested_by=requested_by,
        cursor_before=cursors,
        cursor_after=cursors,
    )
    unmatched: dict[str, int] = {}
    try:
        for object_type in connector.object_types:
            since = None if full else _since(cursors.get(object_type.name))
            _sync_type(run, connector, object_type, since, unmatched, progress)
        run.unmatched_owners = _owners(connector, unmatched) if unmatched else []
    except ApiError as error:
        run.status = SyncRun.Status.FAILED
        _add_errors(run, "", [RowError(0, "", "", str(error))])
        run.unmatched_owners = [{"id": key, "name": "", "rows": n} for key, n in unmatched.items()]
    finally:
        connector_close(connector)
    if run.status == SyncRun.Status.RUNNING:
        run.status = SyncRun.Status.PARTIAL if run.rejected else SyncRun.Status.DONE
    run.finished = timezone.now()
    run.save()
    return run


def _since(cursor: str | None) -> dt.datetime | None:
    """Where to ask from: the cursor, less ``OVERLAP`` (re-reading changes nothing)."""
    moment = parse_instant(cursor)
    return moment - OVERLAP if moment is not None else None


def connector_close(connector: Connector) -> None:
    with contextlib.suppress(Exception):  # closing must not hide what happened
        connector.close()


def _sync_type(
    run: SyncRun,
    connector: Connector,
    object_type: ObjectType,
    since: dt.datetime | None,
    unmatched: dict[str, int],
    progress: Callable[[int], object] | None,
) -> None:
    handle, path = tempfile.mkstemp(prefix=f"sync-{connector.name}-", suffix=".csv")
    os.close(handle)
    try:
        read = _read(connector, object_type, since, path)
        report = _import(run, connector.name, object_type, read, progress) if read.rows else None
    finally:
        os.unlink(path)
    if report is not None:
        for value, rows, _closest in report.understood.unmatched if report.understood else []:
            unmatched[value] = unmatched.get(value, 0) + rows
    committed = report is None or report.committed
    if read.removed and not run.dry_run and committed:
        run.removed += ledger_rows_remove(
            kind=object_type.kind, source=connector.name, external_ids=read.removed
        )
    written = committed and not (report and report.rejected)
    if written and not run.dry_run and read.newest is not None:
        cursor = read.newest.isoformat()
        SyncCursor.objects.update_or_create(
            connector=connector.name, object_type=object_type.name, defaults={"cursor": cursor}
        )
        run.cursor_after = {**run.cursor_after, object_type.name: cursor}
    run.save()


def _read(
    connector: Connector, object_type: ObjectType, since: dt.datetime | None, path: str
) -> _Read:
    read = _Read(path)
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=object_type.columns)
        writer.writeheader()
        for page in connector.pages(object_type, since):
            writer.writerows(page.rows)
            read.rows += len(page.rows)
            read.removed += page.removed
            read.newest = newest(read.newest, page.newest)
    return read


def _import(
    run: SyncRun,
    source: str,
    object_type: ObjectType,
    read: _Read,
    progress: Callable[[int], object] | None,
) -> ImportReport:
    options = ImportOptions(
        preset=source,
        source=source,
        dry_run=run.dry_run,
        skip_bad=True,
        keep_errors=ERRORS_KEPT,
        progress=progress,
    )
    report = run_import(object_type.kind, read.path, options=options)
    run.created += report.created
    run.updated += report.updated
    run.unchanged += report.unchanged
    run.rejected += report.rejected
    _add_errors(run, object_type.name, report.errors, report.error_count)
    if report.aborted:
        run.status = SyncRun.Status.FAILED
    return report


def _add_errors(run: SyncRun, what: str, errors: list[RowError], count: int = 0) -> None:
    room = ERRORS_KEPT - len(run.errors)
    run.errors = [
        *run.errors,
        *({"object": what, **error.as_dict()} for error in errors[: max(room, 0)]),
    ]
    run.error_count += max(count, len(errors))


def _owners(connector: Connector, unmatched: dict[str, int]) -> list[dict[str, Any]]:
    """The owners nobody matched, named as the CRM knows them (most rows first)."""
    try:
        names = connector.owners()
    except ApiError:
        names = {}
    ranked = sorted(unmatched.items(), key=lambda item: -item[1])
    return [{"id": key, "name": names.get(key, ""), "rows": rows} for key, rows in ranked[:50]]
