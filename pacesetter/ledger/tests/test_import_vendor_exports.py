"""A company's first hour, end to end, on files shaped like HubSpot's, Salesforce's and
Pipedrive's exports (``exports/``; how each number follows from the files is worked out in
``exports/EXPECTED.md``): an empty database, the company, the org file with each person's
CRM user id, then each export with its preset alone — and won revenue per person equals
the sum of the file's won amounts."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Activity, Deal
from pacesetter.org.models import Person, Unit

EXPORTS = Path(__file__).parent / "exports"
AVERY, BLAKE, CASEY = "Avery Stone", "Blake Rivera", "Casey Nguyen"


@pytest.fixture
def org_of(db):
    """An empty install with only its company; the org file of a CRM builds the rest."""
    Unit.objects.create(name="Pacesetter Test Co", kind=Unit.Kind.COMPANY)

    def load(crm: str) -> None:
        report = run_import("org", EXPORTS / f"org-{crm}.csv",
                            options=ImportOptions(preset=crm, create_people=True))  # fmt: skip
        assert report.committed, report.errors
        assert set(Person.objects.values_list("full_name", flat=True)) == {AVERY, BLAKE, CASEY}

    return load


def imported(kind: str, name: str, **options):
    report = run_import(kind, EXPORTS / name, options=ImportOptions(**options))
    assert report.committed and not report.errors, report.errors
    return report


def deals_by_owner() -> dict[str, tuple[int, int, int, Decimal]]:
    """owner → (won, lost, open, won revenue), as the ledger holds them."""
    found: dict[str, list] = {}
    for deal in Deal.objects.select_related("owner"):
        row = found.setdefault(deal.owner.full_name, [0, 0, 0, Decimal("0.00")])
        row[("won", "lost", "open").index(deal.status)] += 1
        if deal.status == "won":
            row[3] += deal.amount
    return {owner: tuple(row) for owner, row in found.items()}  # type: ignore[misc]


def activities_by_person() -> dict[str, dict[str, int]]:
    found: dict[str, Counter] = {}
    for activity in Activity.objects.select_related("person"):
        found.setdefault(activity.person.full_name, Counter())[activity.kind] += 1
    return {person: dict(kinds) for person, kinds in found.items()}


DEALS = [
    # HubSpot labels: custom "Closed: won"/"Closed: abandoned" stages, blank amounts, a
    # deactivated owner; "Is Deal Closed?"/"Is Closed Won"/"Deal probability" decide.
    ("hubspot", "hubspot-deals.csv", {
        AVERY: (3, 1, 2, Decimal("19800.00")),  # 12000 + blank + 7800
        BLAKE: (1, 1, 1, Decimal("4500.50")),
        CASEY: (2, 1, 1, Decimal("31250.00")),  # 31250 + blank (closed at probability 1.0)
    }),
    # HubSpot internal names: owners as owner ids, stage ids, custom numeric stage ids.
    ("hubspot", "hubspot-deals-internal.csv", {
        AVERY: (2, 1, 1, Decimal("15300.00")),  # 5400 + 9900
        BLAKE: (1, 1, 0, Decimal("0.00")),  # won without an amount
        CASEY: (2, 1, 1, Decimal("33850.75")),  # 27500 + 6350.75
    }),
    # Salesforce Data Loader: API names, OwnerId (18 characters; the org file has Blake's in
    # 15), every CreatedDate the migration day after most close dates.
    ("salesforce", "salesforce-opportunities-api.csv", {
        AVERY: (3, 1, 1, Decimal("22499.99")),  # 18500.0 + blank + 3999.99
        BLAKE: (1, 1, 1, Decimal("9400.00")),  # "Signed" (a custom won stage, IsWon true)
        CASEY: (2, 1, 1, Decimal("20350.50")),  # 14250.5 + 6100.0
    }),
    # Salesforce "Details Only" report: labels, 9,600.00, US dates, the footer block.
    ("salesforce", "salesforce-opportunities-report.csv", {
        AVERY: (2, 1, 1, Decimal("9600.00")),
        BLAKE: (1, 1, 0, Decimal("12750.00")),
        CASEY: (2, 1, 1, Decimal("26550.25")),  # 21,300.25 + 5,250.00
    }),
    # Pipedrive: "Deal - Status" decides (a won deal keeps its last open stage); one deleted.
    ("pipedrive", "pipedrive-deals.csv", {
        AVERY: (1, 1, 1, Decimal("8200.00")),
        BLAKE: (1, 1, 1, Decimal("0.00")),
        CASEY: (2, 1, 1, Decimal("18050.75")),  # 15600 + 2450.75
    }),
]  # fmt: skip


@pytest.mark.parametrize(("crm", "name", "expected"), DEALS, ids=[d[1] for d in DEALS])
def test_a_crm_export_with_its_preset_alone_gives_each_owner_the_files_won_revenue(
    org_of, crm, name, expected
):
    org_of(crm)

    report = imported("deals", name, preset=crm)

    assert deals_by_owner() == expected
    total = sum(revenue for *_counts, revenue in expected.values())
    assert Decimal(report.understood.won_cents) / 100 == total
    again = imported("deals", name, preset=crm)
    assert (again.created, again.updated) == (0, 0)


def test_a_pipedrive_export_without_an_owner_column_goes_to_the_default_owner(org_of):
    org_of("pipedrive")

    report = imported("deals", "pipedrive-deals-no-owner.csv", preset="pipedrive",
                      default_owner="Casey Nguyen")  # fmt: skip

    assert deals_by_owner() == {CASEY: (3, 2, 2, Decimal("16980.25"))}  # 5000 + 11200 + 780.25
    no_created = "open deals have no created date: imported without one"
    assert report.understood.warnings == {no_created: 2}


ACTIVITIES = [
    # Calls: Completed, and calls that rang out (Busy, No answer) were made; Canceled and
    # Failed were not.
    ("hubspot", "hubspot-calls.csv", {AVERY: {"call": 4}, BLAKE: {"call": 3},
                                      CASEY: {"call": 2}}, 2),
    # Tasks: only Completed ones; a To-do and a LinkedIn task are no call, e-mail or meeting.
    ("hubspot", "hubspot-tasks.csv", {AVERY: {"call": 1, "email": 1}, BLAKE: {"call": 1},
                                      CASEY: {"call": 1, "email": 2}}, 4),
    # Meetings: Completed, or logged without an outcome; Scheduled, No show, Canceled and
    # Rescheduled ones are not (yet) held.
    ("hubspot", "hubspot-meetings.csv", {AVERY: {"meeting": 1}, BLAKE: {"meeting": 1},
                                         CASEY: {"meeting": 3}}, 4),
    # Salesforce tasks: IsClosed decides; the kind from Type, TaskSubtype or the subject.
    ("salesforce", "salesforce-tasks-api.csv", {
        AVERY: {"call": 1, "email": 1, "meeting": 1}, BLAKE: {"call": 1},
        CASEY: {"call": 1, "email": 1},
    }, 8),
    # Salesforce events (upper-case headers of older Data Loaders): every event is held; an
    # event without a Type is a meeting.
    ("salesforce", "salesforce-events-api.csv", {
        AVERY: {"call": 1, "meeting": 2}, BLAKE: {"call": 1, "meeting": 1},
        CASEY: {"meeting": 3},
    }, 0),
    # Pipedrive: "Done"; a lunch with a client is a meeting, a task or deadline is not.
    ("pipedrive", "pipedrive-activities.csv", {
        AVERY: {"call": 1, "email": 1}, BLAKE: {"call": 1, "meeting": 1},
        CASEY: {"call": 1, "email": 1, "meeting": 2},
    }, 3),
]  # fmt: skip


@pytest.mark.parametrize(("crm", "name", "expected", "not_done"), ACTIVITIES,
                         ids=[a[1] for a in ACTIVITIES])  # fmt: skip
def test_only_done_activities_count_each_as_its_kind(org_of, crm, name, expected, not_done):
    org_of(crm)

    report = imported("activities", name, preset=crm)

    assert activities_by_person() == expected
    assert report.understood.outcomes.get("not done (skipped)", 0) == not_done
