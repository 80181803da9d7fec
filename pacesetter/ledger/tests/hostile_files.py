"""Hostile files for the bad-input corpus (``test_hostile_corpus.py``), made in the test.

Each builder returns the file's bytes (or writes it into a directory for the large ones):
CSV in any encoding, XLSX through openpyxl (a cell starting with ``=`` is written as a
formula), and the two workbook bombs written by hand: a sheet whose dimension claims
``A1:XFD1048576`` with one far cell, and a 300 KB zip whose shared-string table unpacks to
300 MB.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from pacesetter.ledger.models import (
    Account,
    AccountMonth,
    Activity,
    ActivityMonth,
    Deal,
    DealMonth,
    ManualEntry,
)
from pacesetter.org.models import CrmIdentity, Holiday, Membership, OrgSettings, Person, Role, Unit

EVERY_TABLE = (
    Account, Activity, Deal, ManualEntry, ActivityMonth, DealMonth, AccountMonth,
    Unit, Person, Membership, Role, CrmIdentity, OrgSettings, Holiday,
)  # fmt: skip

# Per kind: a header, a good row (already stored by the seed, so re-reading it changes
# nothing), the column of a text that is stored (names), and of a number or date.
KINDS: dict[str, dict[str, Any]] = {
    "deals": {
        "header": ["external_id", "owner", "amount", "stage", "created", "closed", "name"],
        "good": ["h1", "alice@example.com", "100", "won", "2026-03-02", "2026-03-20", "One"],
        "text": "name",
        "value": "amount",
    },
    "activities": {
        "header": ["external_id", "person", "type", "occurred", "subject"],
        "good": ["a1", "alice@example.com", "call", "2026-03-02 10:00", "Call"],
        "text": "external_id",
        "value": "occurred",
    },
    "accounts": {
        "header": ["external_id", "name", "segment", "acquired"],
        "good": ["c1", "Acme", "smb", "2026-01-05"],
        "text": "name",
        "value": "acquired",
    },
    "org": {
        "header": ["person", "email", "team"],
        "good": ["Alice Adams", "alice@example.com", "Team Alpha"],
        "text": "person",
        "value": "email",
    },
    "entries": {
        "header": ["person", "metric", "week", "value", "note"],
        "good": ["alice@example.com", "pd_events", "2026-11-09", "2", "ok"],
        "text": "note",
        "value": "value",
    },
}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every ledger, rollup and org table (the settings and holidays too)."""
    found = {}
    for model in EVERY_TABLE:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]
        found[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return found


def with_cell(kind: str, column: str, value: str, *, key: str = "") -> list[list[str]]:
    """The kind's header, its good row, and a second row whose ``column`` is ``value``
    (with another key, so that it would be a new row)."""
    spec = KINDS[kind]
    header, good = spec["header"], list(spec["good"])
    row = list(good)
    if kind in ("deals", "activities", "accounts"):
        row[0] = key or good[0] + "x"
    elif kind == "entries":
        row[0] = "bob@example.com"
    else:
        row[1] = "bob@example.com"
        row[0] = "Bob Brown"
    row[header.index(column)] = value
    return [header, good, row]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook of ``rows``; a text starting with ``=`` is written as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dimension_bomb(rows: list[list[Any]]) -> bytes:
    """``rows``, then one cell at XFD1048576: the sheet claims 16,384 × 1,048,576 cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
        '+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>name</t></is>'
        "</c></row></sheetData></worksheet>"
    ),
}


def shared_strings_bomb(megabytes: int = 300) -> bytes:
    """A workbook of ~300 KB whose one shared string is ``megabytes`` MB of "A"."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def legacy_xls() -> bytes:
    """The start of an Excel 97–2003 (OLE2) file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def large_csv(path: Path, kind: str, megabytes: int, last: list[str]) -> Path:
    """A CSV of about ``megabytes`` MB of good new rows (a wide column the kind ignores
    makes it large without many rows), whose last row is ``last``."""
    spec = KINDS[kind]
    header = [*spec["header"], "padding"]
    padding = "p" * 2_000
    rows = max(1, megabytes * 1_000_000 // (len(padding) + 60))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        good = list(spec["good"])
        for n in range(rows):
            good[0] = f"big{n}"
            writer.writerow([*good, padding])
        writer.writerow([*last, padding])
    return path
