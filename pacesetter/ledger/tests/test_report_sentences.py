"""Issue 15: an import's summary reads as sentences with proper plurals ("1 row read", not
"1 rows read"; "nothing was imported", not "(NOTHING IMPORTED)"), on the page and in the
command alike."""

from __future__ import annotations

from django.template.loader import render_to_string

from pacesetter.ledger.importers.report import ImportReport


def test_one_row_is_a_row_and_many_are_rows():
    one = ImportReport("deals", "hubspot", "deals.csv", rows=1, created=1, committed=True)
    many = ImportReport("deals", "hubspot", "deals.csv", rows=1200, created=1200, committed=True)

    assert one.summary().startswith("deals from deals.csv (source hubspot): 1 row read: 1 created")
    assert many.summary().startswith("deals from deals.csv (source hubspot): 1,200 rows read:")


def test_a_failed_import_says_so_in_a_sentence_not_in_capitals():
    failed = ImportReport("deals", "", "deals.csv", rows=3, rejected=1, error_count=1)

    assert failed.summary().endswith("1 rejected (nothing was imported)")
    assert "NOTHING" not in failed.summary()
    assert failed.refusal() == "Nothing was imported: 1 problem in 1 row."
    two = ImportReport("deals", "", "deals.csv", rows=9, rejected=3, error_count=4)
    assert two.refusal() == "Nothing was imported: 4 problems in 3 rows."


def test_a_dry_run_says_nothing_was_saved():
    dry = ImportReport("activities", "", "calls.csv", rows=2, created=2, dry_run=True)

    assert dry.summary().endswith("(a dry run: nothing was saved)")


def test_the_page_counts_one_row_as_a_row():
    page = render_to_string(
        "web/_import_report.html", {"report": ImportReport("deals", "", "d.csv", rows=1)}
    )

    assert "1 row read" in page and "1 rows read" not in page
