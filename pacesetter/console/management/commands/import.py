"""``pacesetter import``: load a CSV or XLSX file (see ``pacesetter.ledger.importers``).

pacesetter import deals deals.csv --preset hubspot
pacesetter import activities calls.csv --map person=Rep --map occurred="Call time" --dry-run
pacesetter import entries weekly-numbers.xlsx
pacesetter import org people.csv --create-people
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from pacesetter.ledger.importers import (
    KINDS,
    PRESETS,
    ErrorsCsv,
    ImportOptions,
    ImportReport,
    default_max_bytes,
    run_import,
)
from pacesetter.ledger.importers.options import DEFAULT_LOST, DEFAULT_WON
from pacesetter.ledger.models import Activity
from pacesetter.tabular import FORMATS, render

DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise ValueError(text)
    return name.strip(), value.strip()


pair.__name__ = "FIELD=COLUMN pair"


def type_pair(text: str) -> tuple[str, str]:
    value, sep, kind = text.rpartition("=")
    kinds = (*Activity.Kind.values, "ignore")
    if not sep or not value.strip() or kind.strip() not in kinds:
        raise ValueError(text)
    return value.strip(), kind.strip()


type_pair.__name__ = f"VALUE=KIND pair (KIND: {', '.join((*Activity.Kind.values, 'ignore'))})"


def word_list(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


def delimiter(text: str) -> str:
    found = DELIMITER_NAMES.get(text.lower(), text)
    if len(found) != 1:
        raise ValueError(text)
    return found


delimiter.__name__ = "delimiter (one character, or tab, comma, semicolon, pipe)"


class Command(BaseCommand):
    help = (
        "Import deals, activities, accounts, weekly entries or the org from a CSV or XLSX "
        "file: all rows or none, re-importing changes nothing. See docs/imports.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="what the file holds")
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument("--preset", choices=sorted(PRESETS), help="a CRM's export columns")
        parser.add_argument(
            "--map",
            type=pair,
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="read FIELD from COLUMN (repeatable)",
        )
        parser.add_argument(
            "--source",
            help="the rows' source (default: the preset, else csv; sheet for XLSX entries)",
        )
        parser.add_argument(
            "--date-format",
            action="append",
            default=[],
            metavar="FORMAT",
            help="strptime format tried after ISO 8601, e.g. %%d/%%m/%%Y (repeatable)",
        )
        parser.add_argument("--encoding", help="the file's encoding (default: detected)")
        parser.add_argument(
            "--delimiter", type=delimiter, help="CSV delimiter (default: detected from , ; tab |)"
        )
        parser.add_argument("--sheet", help="XLSX: the sheet to read (default: the first)")
        parser.add_argument(
            "--won-stages",
            type=word_list,
            default=DEFAULT_WON,
            help="comma-separated stages that mean won (won, closed won)",
        )
        parser.add_argument(
            "--lost-stages",
            type=word_list,
            default=DEFAULT_LOST,
            help="comma-separated stages that mean lost (lost, closed lost)",
        )
        parser.add_argument(
            "--open-stages",
            type=word_list,
            default=(),
            help="comma-separated open stages, for --stages-strict",
        )
        parser.add_argument(
            "--stages-strict",
            action="store_true",
            help="refuse deals whose stage is not a known won, lost or open stage",
        )
        parser.add_argument(
            "--type-map",
            type=type_pair,
            action="append",
            default=[],
            metavar="VALUE=KIND",
            help="activity type VALUE is KIND (or ignore)",
        )
        parser.add_argument(
            "--default-owner",
            metavar="PERSON",
            help="deals/activities: the owner (e-mail or full name) of rows that have none, "
            "or of every row when the file has no owner column",
        )
        parser.add_argument(
            "--activity-type",
            choices=Activity.Kind.values,
            help="activities: the type of rows that have none (e.g. a calls export)",
        )
        parser.add_argument(
            "--round-cents",
            action="store_true",
            help="round amounts to cents (half up) instead of refusing them",
        )
        parser.add_argument(
            "--decimal-comma", action="store_true", help="numbers are written 1.234,50"
        )
        parser.add_argument(
            "--rate",
            type=pair,
            action="append",
            default=[],
            metavar="CURRENCY=RATE",
            help="deals: convert amounts in CURRENCY at RATE (EUR=1.08: one EUR is 1.08 of the "
            "org's currency; repeatable); without it such amounts are refused",
        )
        parser.add_argument(
            "--create-people",
            action="store_true",
            help="org: create people who are not known yet",
        )
        parser.add_argument(
            "--as-of", type=_date, help="org: memberships start on this day (default today)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--skip-bad", action="store_true", help="import the good rows and report the bad ones"
        )
        parser.add_argument(
            "--errors",
            type=Path,
            metavar="FILE",
            help="also write every rejected row to this CSV file",
        )
        parser.add_argument("--format", choices=FORMATS, default="table")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help="refuse larger files (default PACESETTER_IMPORT_MAX_BYTES or 512 MiB)",
        )
        parser.add_argument("--batch-size", type=int, default=5_000, help="rows per batch")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["create_people"] and o["kind"] != "org":
            raise CommandError("--create-people applies to org imports")
        if o["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        errors_file = (
            o["errors"].open("w", encoding="utf-8-sig", newline="") if o["errors"] else None
        )
        try:
            with tqdm(unit=" rows", unit_scale=True, desc=f"import {o['kind']}", disable=None,
                      file=sys.stderr) as bar:  # fmt: skip
                options = ImportOptions(
                    preset=o["preset"],
                    mapping=dict(o["map"]),
                    source=o["source"],
                    date_formats=tuple(o["date_format"]),
                    encoding=o["encoding"],
                    delimiter=o["delimiter"],
                    sheet=o["sheet"],
                    won_stages=o["won_stages"],
                    lost_stages=o["lost_stages"],
                    open_stages=o["open_stages"],
                    stages_strict=o["stages_strict"],
                    type_map=dict(o["type_map"]),
                    round_cents=o["round_cents"],
                    decimal_comma=o["decimal_comma"],
                    rates=dict(o["rate"]),
                    default_owner=o["default_owner"],
                    activity_type=o["activity_type"],
                    create_people=o["create_people"],
                    as_of=o["as_of"],
                    dry_run=o["dry_run"],
                    skip_bad=o["skip_bad"],
                    max_bytes=o["max_bytes"] or default_max_bytes(),
                    batch_size=o["batch_size"],
                    on_error=ErrorsCsv(errors_file) if errors_file else None,
                    progress=bar.update,
                    stage=lambda stage: _restart(bar, f"import {o['kind']}: {stage}"),
                )
                try:
                    report = run_import(o["kind"], o["file"], options=options)
                except ValueError as error:
                    raise CommandError(str(error)) from None
        finally:
            if errors_file:
                errors_file.close()
        self._print(report, o["format"], o["errors"])
        if report.failed:
            raise CommandError(
                report.refusal() + (f" Every one is in {o['errors']}." if o["errors"] else "")
            )

    def _print(self, report: ImportReport, fmt: str, errors_path: Path | None) -> None:
        rows = [e.as_dict() for e in report.errors]
        columns = ["row", "column", "value", "reason"]
        if fmt == "json":
            self.stdout.write(render([], "json", document=report.as_dict()))
            return
        if fmt == "csv":
            sys.stderr.write(report.summary() + "\n")
            self.stdout.write(render(rows, "csv", columns=columns))
            return
        self.stdout.write(report.summary())
        for line in report.understanding_lines():
            self.stdout.write(f"  {line}")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if rows:
            self.stdout.write(render(rows, "table", columns=columns, title="Rejected rows:"))
            more = report.error_count - len(rows)
            if more > 0:
                where = f" (all of them are in {errors_path})" if errors_path else ""
                self.stdout.write(f"… and {more:,} more{where}")


def _date(text: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text)


_date.__name__ = "date (YYYY-MM-DD)"


def _restart(bar: tqdm, description: str) -> None:
    """The rows are read a second time (checked, now written): the bar starts over."""
    bar.set_description(description)
    bar.reset()
