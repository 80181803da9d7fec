"""``pacesetter import``: a thin command over ``run_import`` — the report, the exit status."""

from __future__ import annotations

import csv
import json
import re

import pytest
from django.core.management import CommandError, call_command

from pacesetter.ledger.models import Deal

from .test_import_helpers import stored, write_csv

HEADER = [
    "Record ID",
    "Deal Name",
    "Deal Stage",
    "Amount",
    "Close Date",
    "Create Date",
    "Deal owner",
]
GOOD = ["1", "Acme", "Closed Won", "1200", "2026-03-20", "2026-03-01", "Alice Adams"]
BAD = ["2", "Globex", "Closed Won", "=A1*2", "2026-03-20", "2026-03-01", "Nobody Known"]


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_a_hubspot_export_and_says_what_it_did(small_org, tmp_path):
    path = write_csv(tmp_path / "deals.csv", [HEADER, GOOD])

    out = run("deals", str(path), "--preset", "hubspot")

    assert out.startswith(
        "deals from deals.csv (source hubspot): 1 row read: 1 created, "
        "0 updated, 0 unchanged, 0 ignored, 0 rejected (imported in"
    )
    assert Deal.objects.get().source == "hubspot"
    again = run("deals", str(path), "--preset", "hubspot")
    assert "0 created, 0 updated, 1 unchanged" in again


def test_bad_rows_are_listed_and_the_command_fails_having_written_nothing(
    small_org, tmp_path, capsys
):
    path = write_csv(tmp_path / "deals.csv", [HEADER, GOOD, BAD])
    errors = tmp_path / "errors.csv"
    before = stored()

    with pytest.raises(CommandError, match=r"Nothing was imported: 2 problems in 1 row\."):
        call_command("import", "deals", str(path), "--preset", "hubspot", "--errors", str(errors))

    out = capsys.readouterr().out
    assert "(nothing was imported)" in out and "NOTHING" not in out
    assert re.search(r"\n\s+3  Amount\s+=A1\*2\s+looks like a spreadsheet formula", out)
    assert stored() == before
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["row", "column", "value", "reason"]
    # Opened in a spreadsheet, the echoed cell must not run: it is quoted.
    assert [r[:3] for r in written[1:]] == [
        ["3", "Deal owner", "Nobody Known"],
        ["3", "Amount", "'=A1*2"],
    ]


def test_the_report_as_json(small_org, tmp_path):
    path = write_csv(tmp_path / "deals.csv", [HEADER, GOOD, BAD])

    out = run("deals", str(path), "--preset", "hubspot", "--skip-bad", "--format", "json")

    document = json.loads(out)
    assert (document["created"], document["rejected"], document["committed"]) == (1, 1, True)
    assert document["errors"][0] == {
        "row": 3,
        "column": "Deal owner",
        "value": "Nobody Known",
        "reason": "unknown person: no one has this e-mail or full name",
    }


def test_a_dry_run_from_the_command_writes_nothing(small_org, tmp_path):
    path = write_csv(tmp_path / "deals.csv", [HEADER, GOOD])

    out = run("deals", str(path), "--preset", "hubspot", "--dry-run")

    assert "1 created" in out and "(a dry run: nothing was saved)" in out
    assert not Deal.objects.exists()


def test_map_and_a_semicolon_delimiter_from_the_command(small_org, tmp_path):
    path = write_csv(
        tmp_path / "d.csv",
        [["Opp", "Rep", "Phase", "Opened"], ["o1", "Bob Brown", "Qualify", "2026-03-01"]],
        delimiter=";",
    )

    run(
        "deals",
        str(path),
        "--delimiter",
        "semicolon",
        "--map",
        "external_id=Opp",
        "--map",
        "owner=Rep",
        "--map",
        "stage=Phase",
        "--map",
        "created=Opened",
    )

    assert Deal.objects.get().status == "open"


def test_options_that_do_not_fit_the_kind_are_refused(small_org, tmp_path):
    path = write_csv(tmp_path / "d.csv", [HEADER, GOOD])
    with pytest.raises(CommandError, match="--create-people applies to org imports"):
        run("deals", str(path), "--create-people")
    with pytest.raises(CommandError, match="the hubspot preset maps deals, activities, accounts"):
        run("entries", str(path), "--preset", "hubspot")
