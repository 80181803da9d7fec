"""What every connector is: a CRM's objects read page by page as export-shaped rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class ObjectType:
    """One kind of CRM record: ``name`` keys its cursor, ``kind`` is the ledger import kind
    its rows go to, ``columns`` the header of those rows (the names the vendor's export
    and its preset in ``ledger/importers/presets.py`` use)."""

    name: str
    kind: str
    columns: tuple[str, ...]


@dataclass
class Page:
    """One page of records: the rows to upsert, the external ids to remove (deleted or
    merged away in the CRM), and the newest modification time the page holds."""

    rows: list[dict[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    newest: dt.datetime | None = None


class NotConfigured(Exception):
    """The connector's credentials are not set (``PACESETTER_<VENDOR>_…``)."""


class Connector(Protocol):
    name: str  # the preset, and the ledger rows' source
    object_types: tuple[ObjectType, ...]  # in the order they are written (accounts first)

    def pages(self, object_type: ObjectType, since: dt.datetime | None) -> Iterator[Page]:
        """The records modified at or after ``since`` (all when None), page by page."""
        ...

    def owners(self) -> dict[str, str]:
        """The CRM's users: id → "Name <e-mail>" (to name the owners nobody matched)."""
        ...

    def close(self) -> None: ...


def newest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def parse_instant(value: object) -> dt.datetime | None:
    """An API's timestamp as an aware UTC datetime: ISO 8601 (a "Z" or an offset; none
    means UTC, as Pipedrive writes), or milliseconds since the epoch; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC)
    text = str(value).strip().replace("Z", "+00:00")
    if len(text) >= 24 and text[-5] in "+-" and text[-3] != ":":  # +0000 (Salesforce)
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def cell(value: object) -> str:
    """A JSON value as an export's cell: booleans as true/false, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
