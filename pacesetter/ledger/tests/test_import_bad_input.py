"""Bad input gets a clear error naming the row and the column, and changes nothing.

Every case starts from a ledger that already holds an import (so "nothing already stored is
lost" is checked too) and compares every ledger, rollup and org row before and after.
"""

from __future__ import annotations

import io

import pytest

from pacesetter.ledger.models import Deal

from .test_import_helpers import importing, stored, write_csv

HEADER = ["external_id", "owner", "amount", "stage", "created", "closed"]
GOOD = ["d1", "alice@example.com", "100", "won", "2026-03-02", "2026-03-20"]
CHANGED = ["d1", "alice@example.com", "175", "won", "2026-03-02", "2026-03-21"]
GOOD_2 = ["d2", "bob@example.com", "50", "lost", "2026-03-02", "2026-03-22"]


def with_bad_row(bad: list[str]) -> list[list[str]]:
    """A file that would change d1 and add d2 — if its bad row did not stop it."""
    return [HEADER, CHANGED, bad, GOOD_2]


CASES = {
    "a negative amount": (
        with_bad_row(["d3", "bob@example.com", "-5", "won", "2026-03-02", "2026-03-20"]),
        (3, "amount", "a negative amount is refused"),
    ),
    "an amount that is not a number": (
        with_bad_row(["d3", "bob@example.com", "12 dollars", "won", "2026-03-02", "2026-03-20"]),
        (3, "amount", "not a number"),
    ),
    "a date that does not exist": (
        with_bad_row(["d3", "bob@example.com", "5", "won", "2026-02-30", "2026-03-20"]),
        (3, "created", "not a date (expected ISO like 2026-03-31; give --date-format)"),
    ),
    "an implausible date": (
        with_bad_row(["d3", "bob@example.com", "5", "won", "0202-02-02", "2026-03-20"]),
        (3, "created", "an implausible date (before 1900 or after 2200)"),
    ),
    "an unknown rep": (
        with_bad_row(["d3", "Zed Zulu", "5", "won", "2026-03-02", "2026-03-20"]),
        (3, "owner", "unknown person: no one has this e-mail or full name"),
    ),
    "a duplicate external id within the file": (
        [
            HEADER,
            CHANGED,
            GOOD_2,
            ["d1", "bob@example.com", "9", "won", "2026-03-02", "2026-03-20"],
        ],
        (4, "external_id", "duplicate: row 2 has the same external id"),
    ),
    "a formula-looking amount": (
        with_bad_row(["d3", "bob@example.com", "=A1*2", "won", "2026-03-02", "2026-03-20"]),
        (
            3,
            "amount",
            "looks like a spreadsheet formula; formulas are never evaluated: "
            "enter the value itself",
        ),
    ),
    "a missing required column": (
        [["external_id", "owner", "amount", "created", "closed"], GOOD],
        (
            1,
            "stage",
            "missing column for the field 'stage' (looked for 'Stage', 'Status', 'Is Closed' "
            "or 'Is Won'; the file has 'external_id', 'owner', 'amount', 'created', 'closed'; "
            "give --map stage=COLUMN)",
        ),
    ),
    "a header and no rows": ([HEADER], (2, "", "the file has a header but no rows")),
}


@pytest.mark.parametrize("rows, expected", CASES.values(), ids=CASES.keys())
def test_bad_input_is_refused_with_its_row_and_column_and_nothing_is_written(
    small_org, tmp_path, rows, expected
):
    importing("deals", write_csv(tmp_path / "first.csv", [HEADER, GOOD]))
    before = stored()

    report = importing("deals", write_csv(tmp_path / "bad.csv", rows))

    assert report.failed and not report.committed
    assert [(e.row, e.column, e.reason) for e in report.errors] == [expected]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert stored() == before


def refused(tmp_path, content: bytes, **options):
    """Import raw bytes as deals over one stored deal; returns (report, whether unchanged)."""
    importing("deals", write_csv(tmp_path / "first.csv", [HEADER, GOOD]))
    before = stored()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    report = importing("deals", path, **options)
    assert report.failed and not report.committed
    return report, stored() == before


def test_an_empty_file_is_refused(small_org, tmp_path):
    report, unchanged = refused(tmp_path, b"")
    assert [(e.row, e.reason) for e in report.errors] == [
        (1, "the file is empty: expected a header row")
    ]
    assert unchanged


def test_a_file_in_another_encoding_than_declared_names_the_first_bad_cell(small_org, tmp_path):
    content = (
        "\n".join(
            [",".join(HEADER), ",".join(CHANGED), "d3,José Núñez,5,won,2026-03-02,2026-03-20"]
        )
        + "\n"
    )
    report, unchanged = refused(tmp_path, content.encode("cp1252"), encoding="utf-8")

    (error,) = report.errors
    assert (error.row, error.column, error.value) == (3, "owner", "Jos\ufffd N\ufffd\ufffdez")
    assert error.reason.startswith("byte 0xE9 is not valid utf-8: the file is in another")
    assert unchanged


def test_a_bad_byte_far_into_a_file_that_starts_as_utf8_is_found_on_its_row(small_org, tmp_path):
    rows = [",".join(HEADER)] + [
        f"x{n},alice@example.com,1,won,2026-03-02,2026-03-20" for n in range(2_000)
    ]
    content = ("\n".join(rows) + "\nlate,Ren\xe9e,1,won,2026-03-02,2026-03-20\n").encode("latin-1")
    assert len(content) > 64 * 1024  # past the sample the encoding is detected from
    report, unchanged = refused(tmp_path, content)

    assert [(e.row, e.column) for e in report.errors] == [(2_002, "owner")]
    assert unchanged


def test_a_huge_line_is_refused_without_reading_it_whole(small_org, tmp_path):
    content = (",".join(HEADER) + "\n" + "x" * (3 * 1024 * 1024) + "\n").encode()
    report, unchanged = refused(tmp_path, content)

    (error,) = report.errors
    assert error.row == 2 and error.reason.startswith("a line longer than 1,048,576 characters")
    assert unchanged


def test_a_quote_that_never_closes_is_refused_as_malformed_csv(small_org, tmp_path):
    lines = [",".join(HEADER), ",".join(CHANGED), 'd3,"Bob Brown,5,won,2026-03-02,2026-03-20']
    report, unchanged = refused(tmp_path, ("\n".join(lines) + "\n").encode())

    assert [(e.row, e.reason) for e in report.errors] == [
        (3, "malformed CSV: unexpected end of data")
    ]
    assert unchanged


def test_a_field_longer_than_the_limit_is_refused(small_org, tmp_path):
    huge = '"' + "\n".join(["y" * 1000] * 200) + '"'  # short lines, one 200 kB field
    lines = [",".join(HEADER), f"d3,{huge},5,won,2026-03-02,2026-03-20"]
    report, unchanged = refused(tmp_path, ("\n".join(lines) + "\n").encode())

    assert report.errors[0].reason.startswith("malformed CSV: a field longer than 131,072")
    assert unchanged


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(small_org, tmp_path):
    report, unchanged = refused(tmp_path, b"x" * 2_000, max_bytes=1_000)
    assert report.errors[0].reason.startswith("the file is 2,000 bytes, more than the limit")
    assert unchanged


def test_the_size_limit_holds_for_a_stream_of_unknown_length(small_org):
    lines = [",".join(HEADER)] + [
        f"x{n},bob@example.com,1,won,2026-03-02,2026-03-20" for n in range(3_000)
    ]
    content = ("\n".join(lines) + "\n").encode()

    class Pipe(io.RawIOBase):  # not seekable, like an upload streamed from a socket
        offset = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = content[self.offset : self.offset + len(buffer)]
            buffer[: len(chunk)] = chunk
            self.offset += len(chunk)
            return len(chunk)

    before = stored()
    report = importing("deals", io.BufferedReader(Pipe()), max_bytes=100_000, batch_size=500)

    assert report.failed and len(content) > 100_000
    assert report.errors[-1].reason == "the file is larger than the limit of 100,000 bytes"
    assert stored() == before  # the batches written before the limit was hit are undone


def test_a_damaged_workbook_and_an_old_xls_are_refused(small_org, tmp_path):
    report, _ = refused(tmp_path, b"PK\x03\x04 this is not really a zip")
    assert report.errors[0].reason.startswith("not a readable XLSX workbook")

    report, _ = refused(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert report.errors[0].reason == "an old binary .xls workbook: save it as .xlsx or CSV"


def test_a_formula_looking_name_is_stored_as_plain_text(small_org, tmp_path):
    formula = '=HYPERLINK("http://example.com/x","Click")'
    header = [*HEADER, "name"]
    report = importing("deals", write_csv(tmp_path / "f.csv", [header, [*GOOD, formula]]))

    assert report.ok
    assert Deal.objects.get().name == formula


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(small_org, tmp_path):
    rows = with_bad_row(["d3", "Zed Zulu", "5", "won", "2026-03-02", "2026-03-20"])
    importing("deals", write_csv(tmp_path / "first.csv", [HEADER, GOOD]))

    report = importing("deals", write_csv(tmp_path / "mixed.csv", rows), skip_bad=True)

    assert report.committed and not report.failed
    assert (report.created, report.updated, report.rejected) == (1, 1, 1)
    assert [(e.row, e.column) for e in report.errors] == [(3, "owner")]
    assert sorted(Deal.objects.values_list("external_id", flat=True)) == ["d1", "d2"]


def test_a_dry_run_counts_but_writes_nothing(small_org, tmp_path):
    importing("deals", write_csv(tmp_path / "first.csv", [HEADER, GOOD]))
    before = stored()

    report = importing(
        "deals", write_csv(tmp_path / "next.csv", [HEADER, CHANGED, GOOD_2]), dry_run=True
    )

    assert report.ok and report.dry_run and not report.committed
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert stored() == before
