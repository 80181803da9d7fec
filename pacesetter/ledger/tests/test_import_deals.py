"""Deal imports: stages and statuses, money, CRM presets, idempotence and the rollups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter.ledger.models import Account, Deal, DealMonth

from .test_import_helpers import errors_of, importing, rollups, rollups_match_a_rebuild, stored
from .test_import_helpers import write_csv as csv_file

HEADER = ["external_id", "owner", "amount", "stage", "created", "closed", "account", "segment"]


def deals_csv(tmp_path, *rows, header=HEADER, name="deals.csv", **kwargs):
    return csv_file(tmp_path / name, [header, *rows], **kwargs)


def test_won_lost_and_open_deals_come_from_the_stage(small_org, tmp_path):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "1,234.50", "Closed Won", "2026-03-02", "2026-03-20", "", ""],
        ["d2", "Bob Brown", "$900", "closed lost", "2026-03-01", "2026-03-15", "", "smb"],
        ["d3", "Alice Adams", "", "Proposal", "2026-03-05", "2026-04-30", "", ""],
    )
    report = importing("deals", path)

    assert report.committed and (report.created, report.updated, report.unchanged) == (3, 0, 0)
    d1, d2, d3 = Deal.objects.order_by("external_id")
    assert (d1.status, d1.amount, d1.owner, d1.closed_on) == (
        "won",
        Decimal("1234.50"),
        small_org.alice,
        dt.date(2026, 3, 20),
    )
    assert (d2.status, d2.amount, d2.segment, d2.source) == (
        "lost",
        Decimal("900.00"),
        "smb",
        "csv",
    )
    # An open deal's "close date" is only an expectation: it is not stored, nor its amount.
    assert (d3.status, d3.amount, d3.closed_on, d3.stage) == ("open", 0, None, "Proposal")
    assert DealMonth.objects.get(status="won").amount == Decimal("1234.50")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(small_org, tmp_path):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "1000", "won", "2026-03-02", "2026-03-20", "", ""],
        ["d2", "bob@example.com", "250.10", "lost", "2026-02-02", "2026-03-01", "", ""],
    )
    importing("deals", path)
    before = stored()

    again = importing("deals", path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert stored() == before


def test_an_update_of_a_changed_row_moves_the_rollups(small_org, tmp_path):
    importing(
        "deals",
        deals_csv(
            tmp_path,
            ["d1", "alice@example.com", "1000", "won", "2026-03-02", "2026-03-20", "", "smb"],
            ["d2", "bob@example.com", "500", "won", "2026-03-02", "2026-03-25", "", "smb"],
        ),
    )
    # The CRM moved d1 to Bob, in April, for more; d2 was lost after all.
    report = importing(
        "deals",
        deals_csv(
            tmp_path,
            ["d1", "bob@example.com", "1500", "won", "2026-03-02", "2026-04-02", "", "smb"],
            ["d2", "bob@example.com", "500", "lost", "2026-03-02", "2026-03-25", "", "smb"],
            name="changed.csv",
        ),
    )

    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    assert rollups_match_a_rebuild()
    bob = small_org.bob.pk
    assert rollups()["deals"] == [
        (bob, dt.date(2026, 3, 1), "lost", "smb", 1, Decimal("500.00")),
        (bob, dt.date(2026, 4, 1), "won", "smb", 1, Decimal("1500.00")),
    ]


def test_a_column_missing_from_the_file_never_erases_what_is_stored(small_org, tmp_path):
    importing(
        "deals",
        deals_csv(
            tmp_path,
            ["d1", "alice@example.com", "700", "won", "2026-03-02", "2026-03-20", "", "smb"],
        ),
    )
    report = importing(
        "deals",
        deals_csv(
            tmp_path,
            ["d1", "alice@example.com", "won", "2026-03-02", "2026-03-20"],
            header=["external_id", "owner", "stage", "created", "closed"],
            name="slim.csv",
        ),
    )

    assert report.unchanged == 1
    assert Deal.objects.get().amount == Decimal("700.00")


def test_deals_are_linked_to_accounts_of_the_same_source_by_id_or_name(small_org, tmp_path):
    Account.objects.create(source="csv", external_id="c-1", name="Acme", segment="enterprise")
    Account.objects.create(source="hubspot", external_id="h-9", name="Globex", segment="smb")
    importing(
        "deals",
        deals_csv(
            tmp_path,
            ["d1", "alice@example.com", "1", "won", "2026-03-02", "2026-03-20", "c-1", ""],
            ["d2", "alice@example.com", "1", "won", "2026-03-02", "2026-03-20", "Acme", "smb"],
            ["d3", "alice@example.com", "1", "won", "2026-03-02", "2026-03-20", "Globex", "smb"],
        ),
    )

    d1, d2, d3 = Deal.objects.order_by("external_id").select_related("account")
    assert (d1.account.name, d1.segment) == ("Acme", "enterprise")  # the account's segment
    assert (d2.account.name, d2.segment) == ("Acme", "smb")  # the file's segment wins
    # Another source's account is unknown here: no account is made up, the segment is kept.
    assert (d3.account, d3.segment) == (None, "smb")
    assert Account.objects.count() == 2


def test_more_than_two_decimals_is_refused_unless_rounding_is_asked_for(small_org, tmp_path):
    path = deals_csv(
        tmp_path, ["d1", "alice@example.com", "10.005", "won", "2026-03-02", "2026-03-20", "", ""]
    )
    refused = importing("deals", path)
    assert errors_of(refused) == [
        (2, "amount", "more than 2 decimal places (give --round-cents to round)")
    ]

    importing("deals", path, round_cents=True)
    assert Deal.objects.get().amount == Decimal("10.01")  # half up


def test_stages_strict_refuses_a_stage_nobody_declared(small_org, tmp_path):
    path = deals_csv(
        tmp_path,
        ["d1", "alice@example.com", "", "Discovery", "2026-03-02", "", "", ""],
        ["d2", "alice@example.com", "", "Negotiation", "2026-03-02", "", "", ""],
    )
    report = importing("deals", path, stages_strict=True, open_stages=("Discovery",))

    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "stage", "Negotiation")]
    assert "unknown stage" in report.errors[0].reason


@pytest.mark.parametrize(
    ("preset", "header", "row"),
    [
        (
            "hubspot",
            [
                "Record ID",
                "Deal Name",
                "Deal Stage",
                "Amount",
                "Close Date",
                "Create Date",
                "Deal owner",
                "Pipeline",
            ],
            [
                "9001",
                "Acme renewal",
                "Closed Won",
                "1200",
                "2026-03-20 14:05",
                "2026-03-01 09:00",
                "Alice Adams",
                "Sales Pipeline",
            ],
        ),
        (
            "salesforce",
            [
                "Opportunity ID",
                "Opportunity Name",
                "Stage",
                "Amount",
                "Close Date",
                "Created Date",
                "Opportunity Owner",
                "Account Name",
                "Probability (%)",
            ],
            [
                "0065g00000XyZ1A",
                "Acme renewal",
                "Closed Won",
                "USD 1,200.00",
                "3/20/2026",
                "3/1/2026",
                "Alice Adams",
                "Acme",
                "100",
            ],
        ),
        (
            "pipedrive",
            [
                "Deal - ID",
                "Deal - Title",
                "Deal - Value",
                "Deal - Currency",
                "Deal - Stage",
                "Deal - Status",
                "Deal - Owner",
                "Deal - Won time",
                "Deal - Lost time",
                "Deal - Deal created",
                "Deal - Organization",
            ],
            [
                "17",
                "Acme renewal",
                "1200",
                "USD",
                "Negotiations Started",
                "won",
                "Alice Adams",
                "2026-03-20 14:05:00",
                "",
                "2026-03-01 09:00:00",
                "Acme",
            ],
        ),
    ],
)
def test_a_crm_export_imports_with_its_preset(small_org, tmp_path, preset, header, row):
    report = importing("deals", deals_csv(tmp_path, row, header=header), preset=preset)

    assert report.ok and report.created == 1, report.errors
    deal = Deal.objects.get()
    assert (deal.source, deal.name, deal.owner, deal.status, deal.amount) == (
        preset,
        "Acme renewal",
        small_org.alice,
        "won",
        Decimal("1200.00"),
    )
    assert (deal.created_on, deal.closed_on) == (dt.date(2026, 3, 1), dt.date(2026, 3, 20))


def test_a_pipedrive_lost_deal_takes_its_close_from_the_lost_time(small_org, tmp_path):
    header = [
        "Deal - ID",
        "Deal - Title",
        "Deal - Value",
        "Deal - Stage",
        "Deal - Status",
        "Deal - Owner",
        "Deal - Won time",
        "Deal - Lost time",
        "Deal - Deal created",
    ]
    row = [
        "18",
        "Globex",
        "300",
        "Proposal Made",
        "lost",
        "Bob Brown",
        "",
        "2026-04-02",
        "2026-03-01",
    ]
    importing("deals", deals_csv(tmp_path, row, header=header), preset="pipedrive")

    deal = Deal.objects.get()
    assert (deal.status, deal.stage, deal.closed_on) == (
        "lost",
        "Proposal Made",
        dt.date(2026, 4, 2),
    )


def test_map_reads_any_other_file(small_org, tmp_path):
    header = ["Opp", "Rep", "Value (USD)", "Phase", "Opened", "Signed"]
    path = deals_csv(
        tmp_path,
        ["X-1", "Charlie Chen", "99.90", "Signed", "2026-01-05", "2026-01-09"],
        header=header,
    )
    report = importing(
        "deals",
        path,
        mapping={
            "external_id": "Opp",
            "owner": "Rep",
            "amount": "Value (USD)",
            "stage": "Phase",
            "created": "Opened",
            "closed": "Signed",
        },
        won_stages=("signed",),
        source="sheet2",
    )

    assert report.ok, report.errors
    deal = Deal.objects.get()
    assert (deal.source, deal.status, deal.owner) == ("sheet2", "won", small_org.charlie)


def test_an_error_names_the_column_the_value_came_from(small_org, tmp_path):
    header = ["Deal - ID", "Deal - Value", "Deal - Stage", "Deal - Status", "Deal - Owner",
              "Deal - Won time", "Deal - Lost time", "Deal - Deal created"]  # fmt: skip
    row = ["19", "300", "Proposal Made", "lost", "Bob Brown", "", "someday", "2026-03-01"]
    report = importing("deals", deals_csv(tmp_path, row, header=header), preset="pipedrive")

    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Deal - Lost time", "someday")
    ]
