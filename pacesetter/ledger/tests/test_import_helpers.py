"""Helpers shared by the import tests (this module holds no tests of its own).

``stored()`` is everything the imports may touch — every ledger row and every rollup row —
so that "nothing was written" is asserted on the content, not just on counts.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pacesetter.ledger.importers import ImportOptions, ImportReport, run_import
from pacesetter.ledger.models import (
    Account,
    AccountMonth,
    Activity,
    ActivityMonth,
    Deal,
    DealMonth,
    ManualEntry,
)
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import Membership, Person, Role, Unit

LEDGER = (Account, Activity, Deal, ManualEntry)
ROLLUPS = (ActivityMonth, DealMonth, AccountMonth)
ORG = (Unit, Person, Membership, Role)


def write_csv(
    path: Path, rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    """``rows`` (the header first) as a CSV file."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def importing(kind: str, file: Any, **options: Any) -> ImportReport:
    return run_import(kind, file, options=ImportOptions(**options))


def _rows(model: type) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]
    return sorted(model.objects.values_list(*fields), key=repr)


def stored() -> dict[str, list[tuple]]:
    """Every row of every ledger, rollup and org table."""
    return {m.__name__: _rows(m) for m in (*LEDGER, *ROLLUPS, *ORG)}


def rollups() -> dict[str, list[tuple]]:
    """The rollup rows without their ids; rows a delta brought back to zero are left out."""
    activities = ActivityMonth.objects.exclude(count=0)
    deals = DealMonth.objects.exclude(count=0, amount=0)
    return {
        "activities": sorted(
            activities.values_list("person_id", "month", "kind", "segment", "count"), key=repr
        ),
        "deals": sorted(
            deals.values_list("person_id", "month", "status", "segment", "count", "amount"),
            key=repr,
        ),
        "touches": sorted(AccountMonth.objects.values_list("account_id", "month", "touches")),
    }


def rollups_match_a_rebuild() -> bool:
    """True when the rollups kept by the imports equal a recomputation from the ledger."""
    kept = rollups()
    rebuild()
    return kept == rollups()


def errors_of(report: ImportReport) -> list[tuple[int, str, str]]:
    """(row, column, the reason's first words) of every error, for short assertions."""
    return [(e.row, e.column, e.reason) for e in report.errors]
