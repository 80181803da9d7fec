"""The bad-input corpus: every kind of file (deals, activities, accounts, org, entries; CSV
and XLSX) against hostile files made here, each with the error it must get (its row and
column) or its acceptance, and every ledger, rollup and org table compared before and after:
a refused file changes nothing, an accepted one changes only what it says, and importing it
again changes nothing.

The files are in ``hostile_files.py``; the large ones are written into ``tmp_path``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Deal
from pacesetter.org.models import OrgSettings

from . import hostile_files as H

KINDS = tuple(H.KINDS)
NUL = "contains a NUL byte (0x00): the file is not text, or not in the encoding read"
DUPLICATED = "appears more than once"
TOO_LONG = "longer than"
LINE = "a line longer than 1,048,576 characters: not a CSV file, or a broken one"
XLS = "an old binary .xls workbook: save it as .xlsx or CSV"
FORMULA = "looks like a spreadsheet formula; formulas are never evaluated: enter the value itself"
BOMB = "the workbook would unpack to"
FAR_CELL = "a cell beyond column 2,048"


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {"shared strings": H.shared_strings_bomb()}


@pytest.fixture
def seeded(small_org):
    """A ledger and an org that already hold one good row of every kind."""
    for kind in ("accounts", "deals", "activities", "entries", "org"):
        spec = H.KINDS[kind]
        report = _import(kind, H.csv_bytes([spec["header"], spec["good"]]))
        assert not report.failed, report.errors
    return small_org


def _import(kind: str, content: bytes | Any, name: str = "file.csv", **options: Any):
    file = content if not isinstance(content, bytes) else io.BytesIO(content)
    if isinstance(content, bytes):
        file.name = name
    return run_import(kind, file, options=ImportOptions(**options))


def refused(kind: str, content: bytes | Any, expected: list[tuple[int, str, str]], **options):
    """Import ``content`` as ``kind``: it is refused with ``expected`` (row, column, the
    reason or its start) and every table is as it was."""
    before = H.snapshot()
    report = _import(kind, content, **options)
    assert report.failed and not report.committed
    found = [(e.row, e.column, e.reason) for e in report.errors]
    assert len(found) == len(expected), found
    for (row, column, reason), (want_row, want_column, want) in zip(found, expected, strict=True):
        assert (row if want_row else 0, column) == (want_row, want_column), found
        assert reason.startswith(want) or want in reason, found
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert H.snapshot() == before
    return report


def accepted(kind: str, content: bytes, **options):
    """Import ``content`` as ``kind``: it is imported, and importing it again changes nothing."""
    report = _import(kind, content, **options)
    assert not report.failed, report.errors
    after = H.snapshot()
    again = _import(kind, content, **options)
    assert not again.failed and (again.created, again.updated) == (0, 0)
    assert H.snapshot() == after
    return report


def as_format(fmt: str, rows: list[list[str]]) -> tuple[bytes, str]:
    if fmt == "csv":
        return H.csv_bytes(rows), "file.csv"
    return H.xlsx_bytes(rows), "file.xlsx"


# --- every kind, CSV and XLSX --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_duplicated_header_is_refused_naming_the_columns(seeded, kind, fmt):
    spec = H.KINDS[kind]
    column = spec["text"]
    header = [*spec["header"], column.upper()]
    content, name = as_format(fmt, [header, [*spec["good"], "other"]])
    letters = f"{chr(65 + spec['header'].index(column))} and {chr(65 + len(spec['header']))}"
    report = refused(kind, content, [(1, column, DUPLICATED)], name=name)
    assert f"(columns {letters})" in report.errors[0].reason


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_required_header_is_refused(seeded, kind, fmt):
    spec = H.KINDS[kind]
    required = {"deals": "external_id", "activities": "occurred", "accounts": "name",
                "org": "team", "entries": "week"}[kind]  # fmt: skip
    at = spec["header"].index(required)
    rows = [[c for i, c in enumerate(row) if i != at] for row in (spec["header"], spec["good"])]
    content, name = as_format(fmt, rows)
    refused(kind, content, [(1, required, "missing column")], name=name)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_value_longer_than_its_column_is_refused_on_its_row(seeded, kind, fmt):
    spec = H.KINDS[kind]
    content, name = as_format(fmt, H.with_cell(kind, spec["text"], "x" * 5_000))
    refused(kind, content, [(3, spec["text"], TOO_LONG)], name=name)


@pytest.mark.parametrize("kind", KINDS)
def test_a_nul_byte_is_refused_on_its_row_and_column(seeded, kind):
    spec = H.KINDS[kind]
    content = H.csv_bytes(H.with_cell(kind, spec["text"], "Zed\x00Zulu"))
    refused(kind, content, [(3, spec["text"], NUL)])


@pytest.mark.parametrize("kind", KINDS)
def test_an_unclosed_quote_is_refused_with_its_row(seeded, kind):
    spec = H.KINDS[kind]
    rows = H.with_cell(kind, spec["text"], "QUOTE")
    content = H.csv_bytes(rows).replace(b"QUOTE", b'"never closed') + b"\r\n".join(
        b"x,y,z" for _ in range(50_000)
    )
    refused(kind, content, [(3, "", "malformed CSV: a field longer than 131,072 characters")])


@pytest.mark.parametrize("kind", KINDS)
def test_a_ten_megabyte_line_is_refused_without_reading_it_whole(seeded, kind):
    spec = H.KINDS[kind]
    content = H.csv_bytes(H.with_cell(kind, spec["text"], "y" * 10_000_000))
    refused(kind, content, [(3, "", LINE)])


@pytest.mark.parametrize("kind", KINDS)
def test_mixed_encodings_name_the_first_bad_cell(seeded, kind):
    spec = H.KINDS[kind]
    header, good, bad = H.with_cell(kind, spec["text"], "MARK")
    # UTF-8 for the first 80 KB (what the encoding is judged from), then a cp1252 byte
    rows = [[*header, "padding"], [*good, "\u00e9" * 40_000], [*bad, ""]]
    content = H.csv_bytes(rows).replace(b"MARK", "Ren\u00e9e".encode("cp1252"))
    refused(kind, content, [(3, spec["text"], "byte 0xE9 is not valid utf-8")])


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_in_a_wrong_declared_encoding_is_refused_on_its_row(seeded, kind):
    spec = H.KINDS[kind]
    content = H.csv_bytes(H.with_cell(kind, spec["text"], "Ren\u00e9e"), encoding="utf-16")
    refused(kind, content, [(1, "", "")], encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_a_legacy_xls_is_refused(seeded, kind):
    refused(kind, H.legacy_xls(), [(1, "", XLS)], name="file.xls")


@pytest.mark.parametrize("kind", KINDS)
def test_a_dimension_bomb_is_read_without_padding_its_rows(seeded, kind):
    spec = H.KINDS[kind]
    content = H.dimension_bomb([spec["header"], spec["good"]])
    assert len(content) < 10_000
    refused(kind, content, [(1_048_576, "XFD", FAR_CELL)], name="bomb.xlsx")


@pytest.mark.parametrize("kind", KINDS)
def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(seeded, kind, bombs):
    content = bombs["shared strings"]
    assert len(content) < 400_000
    refused(kind, content, [(1, "", BOMB)], name="bomb.xlsx")


@pytest.mark.parametrize("kind", ["deals", "accounts", "activities"])
def test_formulas_in_workbook_cells_are_never_evaluated(seeded, kind):
    spec = H.KINDS[kind]
    content = H.xlsx_bytes(H.with_cell(kind, spec["value"], "=1+1"))
    refused(kind, content, [(3, spec["value"], FORMULA)], name="file.xlsx")


def test_a_formula_in_a_text_cell_is_kept_as_text(seeded):
    content = H.xlsx_bytes(H.with_cell("deals", "name", '=HYPERLINK("http://x","y")'))
    accepted("deals", content, name="file.xlsx")
    assert Deal.objects.get(external_id="h1x").name == '=HYPERLINK("http://x","y")'


def test_a_fifty_megabyte_file_whose_last_row_is_bad_changes_nothing(seeded, tmp_path):
    bad = ["last", "alice@example.com", "NaN", "won", "2026-03-02", "2026-03-20", "x"]
    path = H.large_csv(tmp_path / "big.csv", "deals", 50, bad)
    assert path.stat().st_size > 49_000_000
    report = refused("deals", path, [(0, "amount", "not a number")])
    assert report.errors[0].row == report.rows + 1


# --- amounts, sums, dates, currencies --------------------------------------------------------

AMOUNTS = {
    "NaN": "not a number",
    "nan": "not a number",
    "Infinity": "not a number",
    "-Infinity": "not a number",
    "1e30": "an implausibly large number",
    "1E+308": "an implausibly large number",
    "1" + "0" * 400: "an implausibly large number",
    "¥1,000,000": "an amount in JPY or CNY, not in the organisation's USD",
    "JPY 500,000": "an amount in JPY, not in the organisation's USD (give --rate JPY=RATE",
    "EUR 1,000.00": "an amount in EUR, not in the organisation's USD (give --rate EUR=RATE",
    "1,000.00 EUR": "an amount in EUR, not",
    "€5": "an amount in EUR, not",
    "XYZ 7": "an amount in XYZ, not",
    "£3": "an amount in GBP, not",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("amount, reason", AMOUNTS.items(), ids=list(AMOUNTS))
def test_hostile_amounts_are_refused_on_their_row(seeded, amount, reason, fmt):
    content, name = as_format(fmt, H.with_cell("deals", "amount", amount))
    refused("deals", content, [(3, "amount", reason)], name=name)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e30", "EUR 5"])
def test_hostile_entry_values_are_refused(seeded, value):
    refused("entries", H.csv_bytes(H.with_cell("entries", "value", value)), [(3, "value", "")])


def test_amounts_in_the_orgs_own_currency_are_read(seeded):
    rows = [H.KINDS["deals"]["header"]]
    for n, amount in enumerate(["$5", "USD 6", "7 USD", "US$8.50"]):
        rows.append([f"o{n}", "bob@example.com", amount, "won", "2026-03-02", "2026-03-20", "x"])
    accepted("deals", H.csv_bytes(rows))
    stored = dict(
        Deal.objects.filter(external_id__startswith="o").values_list("external_id", "amount")
    )
    assert stored == {"o0": Decimal("5.00"), "o1": Decimal("6.00"), "o2": Decimal("7.00"),
                      "o3": Decimal("8.50")}  # fmt: skip


def test_a_currency_column_is_read(seeded):
    header = [*H.KINDS["deals"]["header"], "Currency"]
    rows = [
        header,
        [*H.KINDS["deals"]["good"], "USD"],
        ["e1", "bob@example.com", "1,000.00", "won", "2026-03-02", "2026-03-20", "x", "eur"],
    ]
    refused("deals", H.csv_bytes(rows), [(3, "amount", "an amount in EUR, not")])


@pytest.mark.parametrize("preset, header", [
    ("hubspot", ["Record ID", "Deal owner", "Amount", "Deal Stage", "Close Date", "Currency"]),
    ("salesforce", ["Opportunity ID", "Opportunity Owner", "Amount", "Stage", "Close Date",
                    "Opportunity Currency"]),
    ("pipedrive", ["Deal - ID", "Deal - Owner", "Deal - Value", "Deal - Stage",
                   "Deal - Won time", "Deal - Currency of Value"]),
])  # fmt: skip
def test_the_presets_read_their_currency_column(seeded, preset, header):
    rows = [header, ["p1", "alice@example.com", "100", "Closed Won", "2026-03-20", "EUR"]]
    refused("deals", H.csv_bytes(rows), [(2, header[2], "an amount in EUR, not")], preset=preset)


def test_an_explicit_rate_converts_exactly_and_the_report_says_so(seeded):
    header = [*H.KINDS["deals"]["header"], "currency"]
    given = [("r1", "EUR 1,000.00", ""), ("r2", "0.05", "EUR"), ("r3", "¥1,000,000", ""),
             ("r4", "12.34", "")]  # fmt: skip
    rows = [header]
    for key, amount, currency in given:
        rows.append([key, "bob@example.com", amount, "won", "2026-03-02", "2026-03-20", "x",
                     currency])  # fmt: skip
    rates = {"EUR": "1.08", "JPY": "0.0066667"}
    report = accepted("deals", H.csv_bytes(rows), rates=rates)
    stored = dict(
        Deal.objects.filter(external_id__startswith="r").values_list("external_id", "amount")
    )
    # 0.05 × 1.08 = 0.054 → 0.05; 1,000,000 × 0.0066667 = 6,666.70 (half up, to the cent)
    assert stored == {"r1": Decimal("1080.00"), "r2": Decimal("0.05"),
                      "r3": Decimal("6666.70"), "r4": Decimal("12.34")}  # fmt: skip
    assert any("EUR" in note and "1.08" in note and "USD" in note for note in report.notes)
    assert any("JPY" in note and "0.0066667" in note for note in report.notes)


def test_a_rate_for_the_orgs_own_currency_or_a_bad_rate_is_refused(seeded):
    content = H.csv_bytes(H.with_cell("deals", "amount", "EUR 5"))
    refused("deals", content, [(1, "", "a rate must be")], rates={"EUR": "-1"})
    refused("deals", content, [(1, "", "a rate must be")], rates={"EUR": "NaN"})
    refused("deals", content, [(1, "", "not a currency code")], rates={"EURO": "1"})


def test_overflowing_sums_are_refused_on_the_row_that_overflows(seeded):
    rows = [H.KINDS["deals"]["header"]]
    for n in range(120):
        rows.append([f"s{n}", "bob@example.com", "9,999,999,999,999.00", "won", "2026-03-02",
                     "2026-03-20", "x"])  # fmt: skip
    # 100 rows add up to just under the limit; each row after would take it past
    expected = [(row, "amount", "the amounts add up to") for row in range(102, 122)]
    report = refused("deals", H.csv_bytes(rows), expected)
    assert "the money column" in report.errors[0].reason


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2026-04-31", "31/02/2026"])
def test_impossible_dates_are_refused(seeded, fmt, day):
    content, name = as_format(fmt, H.with_cell("deals", "created", day))
    refused("deals", content, [(3, "created", "")], name=name)


# --- the other XLSX readers: the plan workbook, the weekly template -------------------------


def test_the_plan_workbook_reader_refuses_the_bombs_before_unpacking(db, bombs):
    from pacesetter.workbook.importing import plan_workbook_import

    result = plan_workbook_import(io.BytesIO(bombs["shared strings"]), filename="bomb.xlsx")
    assert not result.ok
    assert BOMB in result.errors[0].reason


# --- text typed into forms -----------------------------------------------------------------


def test_a_long_exclusion_reason_is_a_clear_error(seeded):
    from django.core.exceptions import ValidationError

    from pacesetter.goals.models import Goal
    from pacesetter.tracking.collective import collective_exclusion_create

    goal = Goal(pk=1, kind=Goal.Kind.COLLECTIVE, unit=seeded.alpha, metric="revenue_won")
    with pytest.raises(ValidationError, match="at most 200 characters"):
        collective_exclusion_create(goal=goal, person=seeded.alice, reason="x" * 5_000)


def test_the_org_currency_is_usd(seeded):
    assert OrgSettings.load().currency == "USD"


def test_the_import_form_takes_exchange_rates():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pacesetter.web.forms.imports import ImportForm

    def form(rates: str) -> ImportForm:
        upload = SimpleUploadedFile("deals.csv", b"external_id\n1\n")
        return ImportForm(data={"kind": "deals", "rates": rates}, files={"file": upload})

    good = form("eur=1.08; JPY = 0.0067")
    assert good.is_valid(), good.errors
    assert good.options()["rates"] == {"EUR": "1.08", "JPY": "0.0067"}
    for bad in ("EUR=-1", "EURO=1", "EUR"):
        assert "rates" in form(bad).errors


def test_an_e_mail_longer_than_its_column_is_refused_on_its_row(seeded):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".com"  # valid, but 300 characters
    content = H.csv_bytes(H.with_cell("org", "email", email))
    refused("org", content, [(3, "email", "longer than 254 characters")])


def test_the_command_converts_with_rate_and_refuses_without(seeded, tmp_path):
    from django.core.management.base import CommandError

    from pacesetter.conftest import run_command

    path = tmp_path / "eur.csv"
    path.write_bytes(H.csv_bytes(H.with_cell("deals", "amount", "EUR 100")))
    with pytest.raises(CommandError, match="Nothing was imported"):
        run_command(f"import deals {path}")
    out = run_command(f"import deals {path} --rate EUR=1.08")
    assert "amounts in EUR converted to USD at 1.08 (rounded to the cent, half up): 1" in out
    assert Deal.objects.get(external_id="h1x").amount == Decimal("108.00")
