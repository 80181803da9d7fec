"""The options of an import: how to read the file and how to apply it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pacesetter import config
from pacesetter.ledger.importers.hints import CLI, Hints
from pacesetter.ledger.importers.report import RowError

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
# Compared by letters and digits only: "Closed: won", "Closed Won" and "closedwon" (HubSpot's
# stage id) are one. Stages that contain the word "won" or "lost" also decide (kinds/deals.py).
DEFAULT_WON = ("won", "closed won", "deal won")
DEFAULT_LOST = ("lost", "closed lost", "deal lost")


def default_max_bytes() -> int:
    """``PACESETTER_IMPORT_MAX_BYTES``, else 512 MiB."""
    return config.env_int("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class ImportOptions:
    """How to read and apply a file; the defaults suit a plain CSV of the kind's fields."""

    preset: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)  # field → column
    source: str | None = None  # default: the preset, "sheet" for XLSX entries, else "csv"
    date_formats: tuple[str, ...] = ()  # strptime formats tried after ISO 8601
    encoding: str | None = None  # detected when not given
    delimiter: str | None = None  # detected when not given
    sheet: str | None = None  # XLSX: default the first sheet
    won_stages: tuple[str, ...] = DEFAULT_WON
    lost_stages: tuple[str, ...] = DEFAULT_LOST
    open_stages: tuple[str, ...] = ()
    stages_strict: bool = False
    type_map: Mapping[str, str] = field(default_factory=dict)  # activity type → kind
    round_cents: bool = False
    decimal_comma: bool = False
    # Amounts in other currencies: currency code → how much of the org's currency one unit
    # is ("EUR": "1.08"); without a rate such an amount is refused.
    rates: Mapping[str, object] = field(default_factory=dict)
    default_owner: str | None = None  # deals/activities: the owner of rows without one
    activity_type: str | None = None  # activities: the type of rows without one
    create_people: bool = False  # org imports
    as_of: dt.date | None = None  # org imports: membership start (default today)
    dry_run: bool = False
    skip_bad: bool = False
    max_bytes: int | None = None  # default: default_max_bytes()
    batch_size: int = 5_000
    keep_errors: int = 10_000  # errors kept in the report; ``on_error`` sees them all
    on_error: Callable[[RowError], None] | None = None
    progress: Callable[[int], object] | None = None  # called with rows read since last call
    # Called with "writing" when the rows, all checked, are read again to be written in
    # steps (``steps.py``): a progress bar starts over.
    stage: Callable[[str], object] | None = None
    # Write in short steps (``steps.py``): None decides (SQLite, outside a transaction, a
    # file that can be read twice); True or False forces it (tests).
    steps: bool | None = None
    entered_by_id: int | None = None  # entries: the user who uploaded the file
    hints: Hints = CLI  # how messages name options: Hints(web=True) for the web form
