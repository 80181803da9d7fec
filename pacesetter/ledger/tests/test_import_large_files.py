"""Large files: many batches, and the keys seen so far kept in a scratch database.

The thresholds are lowered so that a few dozen rows take the paths a million rows take.
"""

from __future__ import annotations

import pytest

from pacesetter.ledger.importers import staging
from pacesetter.ledger.models import Activity

from .test_import_helpers import importing, rollups, rollups_match_a_rebuild, stored, write_csv

HEADER = ["external_id", "person", "type", "occurred"]


@pytest.fixture
def tiny_memory(monkeypatch):
    """Spill the keys to the scratch database after four of them."""
    monkeypatch.setattr(staging, "MEMORY_LIMIT", 4)


def calls(n: int, first: int = 0) -> list[list[str]]:
    return [[f"c{i}", "Alice Adams", "call", f"2026-03-{1 + i % 28:02d} 10:00"]
            for i in range(first, first + n)]  # fmt: skip


def test_a_file_of_many_batches_imports_and_reimports_with_keys_in_a_scratch_database(
    small_org, tmp_path, tiny_memory
):
    path = write_csv(tmp_path / "a.csv", [HEADER, *calls(40)])

    first = importing("activities", path, batch_size=6)
    assert (first.created, first.committed) == (40, True)
    before = stored()

    again = importing("activities", path, batch_size=6)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)
    assert stored() == before
    assert rollups_match_a_rebuild()


def test_a_duplicate_many_batches_after_its_first_row_is_found(small_org, tmp_path, tiny_memory):
    rows = calls(30)
    rows[27][0] = "c2"  # row 29 repeats row 4's id, four batches later
    before = stored()

    report = importing("activities", write_csv(tmp_path / "a.csv", [HEADER, *rows]), batch_size=5)

    assert [(e.row, e.column, e.value, e.reason) for e in report.errors] == [
        (29, "external_id", "c2", "duplicate: row 4 has the same external id")
    ]
    assert report.failed and stored() == before


def test_skip_bad_keeps_the_first_of_two_rows_with_the_same_id(small_org, tmp_path, tiny_memory):
    rows = calls(12)
    rows[10] = ["c1", "Bob Brown", "demo", "2026-03-05 10:00"]
    report = importing("activities", write_csv(tmp_path / "a.csv", [HEADER, *rows]),
                       batch_size=3, skip_bad=True)  # fmt: skip

    assert (report.created, report.rejected) == (11, 1)
    assert Activity.objects.get(external_id="c1").person == small_org.alice
    assert rollups()["activities"][0][-1] == 11
