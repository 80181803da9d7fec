"""An upload imported the way the web form asks for it: its options as plain JSON (what the
form gives and the session and a job keep), and its report as JSON and back, so that a job
run by the worker shows the very report the request used to show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter
from typing import Any

from pacesetter.ledger.importers.engine import run_import
from pacesetter.ledger.importers.hints import Hints
from pacesetter.ledger.importers.options import DEFAULT_LOST, DEFAULT_WON, ImportOptions
from pacesetter.ledger.importers.readers import FileLike
from pacesetter.ledger.importers.report import ErrorsCsv, ImportReport, RowError, Understanding

WEB = Hints(web=True)


def import_options(
    plain: dict[str, Any], *, user_id: int | None, dry_run: bool, on_error: ErrorsCsv
) -> ImportOptions:
    """``ImportOptions`` from the form's options (plain JSON)."""
    return ImportOptions(
        preset=plain["preset"],
        mapping=plain["mapping"],
        date_formats=tuple(plain["date_formats"]),
        default_owner=plain["default_owner"],
        type_map=plain["type_map"],
        round_cents=plain["round_cents"],
        decimal_comma=plain["decimal_comma"],
        rates=plain.get("rates") or {},
        won_stages=tuple(plain["won_stages"] or DEFAULT_WON),
        lost_stages=tuple(plain["lost_stages"] or DEFAULT_LOST),
        open_stages=tuple(plain["open_stages"]),
        stages_strict=plain["stages_strict"],
        encoding=plain["encoding"],
        create_people=plain["create_people"],
        skip_bad=plain["skip_bad"],
        dry_run=dry_run,
        entered_by_id=user_id,
        on_error=on_error,
        hints=WEB,
    )


def import_upload(
    kind: str, file: FileLike, plain: dict[str, Any], *, user_id: int | None, dry_run: bool
) -> tuple[ImportReport | None, str]:
    """Run the import; its report and the rejected rows as CSV text ("" when none). None
    when the options do not fit the kind (a preset without it: the form refuses it before)."""
    errors = io.StringIO()
    options = import_options(plain, user_id=user_id, dry_run=dry_run, on_error=ErrorsCsv(errors))
    try:
        report = run_import(kind, file, options=options)
    except ValueError:
        return None, ""
    return report, errors.getvalue() if report.error_count else ""


# --- the report as JSON ----------------------------------------------------------------------

_COUNTERS = ("outcomes", "per_person", "open_stages", "warnings")


def report_as_json(report: ImportReport) -> dict[str, Any]:
    """Everything the page shows of a report, as JSON (``report_from_json`` reads it)."""
    fields = {
        f.name: getattr(report, f.name)
        for f in dataclasses.fields(report)
        if f.name not in ("errors", "understood", "on_error")
    }
    understood = report.understood
    return {
        **fields,
        "errors": [e.as_dict() for e in report.errors],
        "understood": None if understood is None else _understanding_as_json(understood),
    }


def report_from_json(data: dict[str, Any]) -> ImportReport:
    fields = {f.name for f in dataclasses.fields(ImportReport)} - {"errors", "understood"}
    report = ImportReport(**{k: v for k, v in data.items() if k in fields})
    report.errors = [RowError(**e) for e in data.get("errors", [])]
    understood = data.get("understood")
    report.understood = None if understood is None else _understanding_from_json(understood)
    return report


def _understanding_as_json(u: Understanding) -> dict[str, Any]:
    return {
        **{name: dict(getattr(u, name)) for name in _COUNTERS},
        "first_day": u.first_day.isoformat() if u.first_day else None,
        "last_day": u.last_day.isoformat() if u.last_day else None,
        "won_cents": u.won_cents,
        "currency": u.currency,
        "unmatched": [[value, rows, list(closest)] for value, rows, closest in u.unmatched],
    }


def _understanding_from_json(data: dict[str, Any]) -> Understanding:
    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    return Understanding(
        **{name: Counter(data.get(name) or {}) for name in _COUNTERS},
        first_day=day(data.get("first_day")),
        last_day=day(data.get("last_day")),
        won_cents=data.get("won_cents"),
        currency=data.get("currency", ""),
        unmatched=[(value, rows, list(closest)) for value, rows, closest in data["unmatched"]],
    )
