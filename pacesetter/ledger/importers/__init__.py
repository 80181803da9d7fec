"""Imports of CRM exports and spreadsheets into the ledger and the org.

The library behind ``pacesetter import`` and the web upload::

    from pacesetter.ledger.importers import ImportOptions, run_import

    report = run_import("deals", "deals.csv", options=ImportOptions(preset="hubspot"))
    if report.failed:
        ...  # report.errors: row, column, value, reason; nothing was written

Kinds: ``deals``, ``activities``, ``accounts``, ``entries`` (weekly numbers) and ``org``.
Files: CSV in any common encoding and delimiter (detected, or given) and XLSX. Every import
is one transaction, streamed in batches, upserting by (source, external id), with the
monthly rollups kept in step. ``weekly_template_bytes`` builds the weekly numbers workbook
that ``entries`` imports read back. See docs/imports.md.
"""

from pacesetter.ledger.importers.engine import run_import
from pacesetter.ledger.importers.kinds.fields import FIELDS, KINDS, describe_fields
from pacesetter.ledger.importers.options import ImportOptions, default_max_bytes
from pacesetter.ledger.importers.presets import PRESETS
from pacesetter.ledger.importers.report import ErrorsCsv, ImportReport, RowError
from pacesetter.ledger.importers.template import (
    parse_week,
    template_filename,
    weekly_template,
    weekly_template_bytes,
)

__all__ = [
    "FIELDS",
    "KINDS",
    "PRESETS",
    "ErrorsCsv",
    "ImportOptions",
    "ImportReport",
    "RowError",
    "default_max_bytes",
    "describe_fields",
    "parse_week",
    "run_import",
    "template_filename",
    "weekly_template",
    "weekly_template_bytes",
]
