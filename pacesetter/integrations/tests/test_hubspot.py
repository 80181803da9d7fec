"""HubSpot end to end against recorded CRM v3 answers (and v4 associations) served by a
local HTTP server."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pacesetter.integrations.connectors.hubspot import HubSpot
from pacesetter.integrations.models import SyncCursor, SyncRun
from pacesetter.integrations.sync import sync_run
from pacesetter.integrations.tests.conftest import RECORDED, RecordedApi, Seen
from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Account, AccountMonth, Activity, ActivityMonth, Deal, DealMonth
from pacesetter.ledger.rollups import differences

HUBSPOT = RECORDED / "hubspot"
SEARCH = "/crm/v3/objects/{}/search"
COMPANIES_OF = "/crm/v4/associations/{}/companies/batch/read"
OTHERS = ("meetings", "emails", "tasks")
DEALS_PAGE_1 = {"21850022001", "21850022002"}
DEALS_PAGE_2 = {"21850022003", "21850022005"}


def _after(seen: Seen) -> str | None:
    return (seen.body or {}).get("after")


def _asked(seen: Seen) -> set[str]:
    """The record ids an associations batch read asked for."""
    return {item["id"] for item in (seen.body or {}).get("inputs", [])}


def _filtered(seen: Seen) -> bool:
    return bool((seen.body or {}).get("filterGroups"))


def record_full(api: RecordedApi) -> None:
    """A portal's first sync: one page of companies, two pages of deals, one page of calls,
    nothing else; each page's companies in one associations batch read (207 when some
    records have none)."""
    api.add("GET", "/crm/v3/pipelines/deals", "hubspot/pipelines-deals.json")
    api.add("POST", SEARCH.format("companies"), "hubspot/companies-search.json")
    api.add("POST", SEARCH.format("deals"), "hubspot/deals-search-1.json",
            when=lambda s: _after(s) is None and not _filtered(s))  # fmt: skip
    api.add("POST", SEARCH.format("deals"), "hubspot/deals-search-2.json",
            when=lambda s: _after(s) == "2")  # fmt: skip
    api.add("POST", SEARCH.format("calls"), "hubspot/calls-search.json")
    for name in OTHERS:
        api.add("POST", SEARCH.format(name), "hubspot/empty-search.json")
    for name in ("companies", "deals", "calls", *OTHERS):
        api.add("GET", f"/crm/v3/objects/{name}", "hubspot/empty-list.json")
    api.add("POST", COMPANIES_OF.format("deals"), "hubspot/associations-deals-companies-1.json",
            status=207, when=lambda s: _asked(s) == DEALS_PAGE_1)  # fmt: skip
    api.add("POST", COMPANIES_OF.format("deals"), "hubspot/associations-deals-companies-2.json",
            when=lambda s: _asked(s) == DEALS_PAGE_2)  # fmt: skip
    api.add("POST", COMPANIES_OF.format("calls"), "hubspot/associations-calls-companies.json",
            status=207)  # fmt: skip
    api.add("GET", "/crm/v3/owners", "hubspot/owners.json")


def hubspot(api: RecordedApi, client_for) -> HubSpot:
    return HubSpot(client_for({"Authorization": "Bearer pat-na1-secret"}))


def deal_rows() -> dict[str, tuple]:
    return {
        d.external_id: (
            d.name,
            d.owner.full_name,
            d.amount,
            d.stage,
            d.status,
            d.created_on,
            d.closed_on,
            d.segment,
            d.account.external_id if d.account else None,
        )
        for d in Deal.objects.select_related("owner", "account")
    }


def activity_rows() -> dict[str, tuple]:
    return {
        a.external_id: (
            a.kind,
            a.person.full_name,
            a.occurred_at,
            a.account.external_id if a.account else None,
            a.segment,
        )
        for a in Activity.objects.select_related("person", "account")
    }


def account_rows() -> dict[str, tuple]:
    return {
        a.external_id: (a.name, a.owner_id, a.acquired_on, a.churned_on, a.segment)
        for a in Account.objects.all()
    }


def deal_rollups() -> set[tuple]:
    return set(
        DealMonth.objects.values_list("person_id", "month", "status", "segment", "count", "amount")
    )


def rollup_rows() -> set[tuple]:
    """Every rollup: deals and activities per person, customers' touches (coverage)."""
    return (
        deal_rollups()
        | set(ActivityMonth.objects.values_list("person_id", "month", "kind", "segment",
                                                "count"))
        | set(AccountMonth.objects.values_list("account__external_id", "month", "touches"))
    )  # fmt: skip


def test_a_first_sync_reads_every_page_and_writes_the_ledger(crm_people, api, client_for):
    record_full(api)
    run = sync_run("hubspot", connector=hubspot(api, client_for), requested_by="olga")

    assert run.status == SyncRun.Status.DONE, run.errors
    assert (run.created, run.updated, run.unchanged, run.rejected) == (12, 0, 0, 0)
    assert len(account_rows()) == 5
    deals = deal_rows()
    assert deals["21850022001"][1:5] == ("Alice Adams", Decimal("5400.00"), "Closed Won", "won")
    assert deals["21850022002"][4] == "lost"
    assert deals["21850022003"][3:5] == ("Contract Sent", "open")  # open: no close date kept
    # A stage named by id in the API ("Signed") is won by its pipeline's metadata.
    assert deals["21850022005"][1:5] == ("Charlie Chen", Decimal("27500.50"), "Signed", "won")
    calls = activity_rows()
    assert set(calls) == {"60310044001", "60310044002", "60310044003"}  # not the scheduled one
    # Each record's company: Beacon Tutors and the renewal check-in have none (the 207's
    # errors); Eastgate Clinics has two, and its primary is the second listed.
    assert {key: row[-1] for key, row in deals.items()} == {
        "21850022001": "31470001001", "21850022002": None,
        "21850022003": "31470001003", "21850022005": "31470001005",
    }  # fmt: skip
    assert {key: row[3] for key, row in calls.items()} == {
        "60310044001": "31470001001", "60310044002": "31470001002", "60310044003": None,
    }  # fmt: skip
    # New-customer coverage: the customers the calls touched, per month.
    assert set(AccountMonth.objects.values_list("account__external_id", "touches")) == {
        ("31470001001", 1), ("31470001002", 1)
    }  # fmt: skip
    assert not any(differences().values())  # the rollups agree with the ledger
    # One associations batch read per page of records, asking for that page's ids.
    reads = api.calls(COMPANIES_OF.format("deals"))
    assert [s.body for s in reads] == [
        {"inputs": [{"id": "21850022001"}, {"id": "21850022002"}]},
        {"inputs": [{"id": "21850022003"}, {"id": "21850022005"}]},
    ]
    assert reads[0].headers["Authorization"] == "Bearer pat-na1-secret"
    assert len(api.calls(COMPANIES_OF.format("calls"))) == 1
    assert not any(api.calls(COMPANIES_OF.format(name)) for name in ("companies", *OTHERS))
    # Each page was asked for once, with the private-app token, sorted by modification.
    searches = api.calls(SEARCH.format("deals"))
    assert [_after(s) for s in searches] == [None, "2"]
    assert all(s.headers["Authorization"] == "Bearer pat-na1-secret" for s in searches)
    assert searches[0].body["sorts"] == [
        {"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}
    ]
    cursors = dict(SyncCursor.objects.values_list("object_type", "cursor"))
    assert cursors == {"companies": "2026-11-06T14:47:10.335000+00:00",
                       "deals": "2026-11-06T14:46:30.447000+00:00",
                       "calls": "2026-11-05T10:00:00+00:00"}  # fmt: skip
    assert run.cursor_after == cursors and run.cursor_before == {}


def test_a_sync_and_an_import_of_the_same_records_agree_row_for_row(crm_people, api, client_for):
    # An enterprise customer, known before the sync (HubSpot's companies carry no segment).
    Account.objects.create(source="hubspot", external_id="31470001005", name="Eastgate",
                           segment="enterprise")  # fmt: skip
    record_full(api)
    run = sync_run("hubspot", connector=hubspot(api, client_for))
    assert run.status == SyncRun.Status.DONE, run.errors
    synced = (account_rows(), deal_rows(), activity_rows(), rollup_rows())

    Deal.objects.all().delete()
    Activity.objects.all().delete()
    DealMonth.objects.all().delete()
    ActivityMonth.objects.all().delete()
    AccountMonth.objects.all().delete()
    reports = {}
    for kind, name in (("accounts", "companies-export.csv"), ("deals", "deals-export.csv"),
                       ("activities", "calls-export.csv")):  # fmt: skip
        report = run_import(kind, HUBSPOT / name, options=ImportOptions(preset="hubspot"))
        assert report.committed and not report.errors, report.errors
        reports[kind] = report

    assert (account_rows(), deal_rows(), activity_rows(), rollup_rows()) == synced
    assert (reports["accounts"].created, reports["accounts"].unchanged) == (0, 5)
    assert len(synced[1]) == 4 and len(synced[2]) == 3
    # The account, and the segment that comes with it, on both sides.
    assert synced[1]["21850022005"][-2:] == ("enterprise", "31470001005")
    assert sum(row[-1] is not None for row in synced[1].values()) == 3
    assert sum(row[3] is not None for row in synced[2].values()) == 2


def test_a_second_sync_reads_what_changed_since_its_cursor(crm_people, api, client_for):
    record_full(api)
    sync_run("hubspot", connector=hubspot(api, client_for))
    api.routes.clear()
    api.requests.clear()
    record_full(api)  # the pipelines, owners and empty answers again
    api.routes[("POST", SEARCH.format("deals"))] = []
    api.add("POST", SEARCH.format("deals"), "hubspot/deals-search-changed.json", when=_filtered)
    api.add("POST", COMPANIES_OF.format("deals"),
            "hubspot/associations-deals-companies-changed.json", status=207,
            when=lambda s: _asked(s) == {"21850022003", "21850022006"})  # fmt: skip
    api.routes[("GET", "/crm/v3/objects/deals")] = []
    api.add("GET", "/crm/v3/objects/deals", "hubspot/deals-archived.json")

    run = sync_run("hubspot", connector=hubspot(api, client_for))

    search = api.calls(SEARCH.format("deals"))[0].body
    since = "1793976270447"  # the cursor (2026-11-06T14:46:30.447Z) less 2 minutes
    assert search["filterGroups"] == [
        {"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": since}]}
    ]
    # Cinder Row was won; Foxglove's owner is nobody here; Beacon was deleted; Dunmore
    # (merged into Eastgate) never reached the ledger.
    assert (run.created, run.updated, run.rejected, run.removed) == (0, 1, 1, 1)
    deals = deal_rows()
    assert deals["21850022003"][2:5] == (Decimal("16500.00"), "Closed Won", "won")
    assert deals["21850022003"][-1] == "31470001003"
    assert "21850022002" not in deals and "21850022006" not in deals
    assert run.status == SyncRun.Status.PARTIAL
    assert run.unmatched_owners == [{"id": "77700001", "name": "Dora Diaz <dora@example.com>",
                                     "rows": 1}]  # fmt: skip
    assert run.errors[0]["object"] == "deals" and run.errors[0]["value"] == "77700001"
    # A refused row keeps the deals' cursor where it was: the next sync reads it again.
    assert run.cursor_after["deals"] == run.cursor_before["deals"]
    assert not any(differences().values())


def test_a_merged_deal_leaves_the_ledger(crm_people, api, client_for):
    record_full(api)
    api.routes[("POST", SEARCH.format("deals"))] = []
    api.add("POST", SEARCH.format("deals"), "hubspot/deals-search-1.json",
            when=lambda s: _after(s) is None)  # fmt: skip
    api.add("POST", SEARCH.format("deals"), "hubspot/empty-search.json", when=lambda s: True)
    sync_run("hubspot", connector=hubspot(api, client_for))
    Deal.objects.filter(external_id="21850022001").update(external_id="21850022004")
    api.routes.clear()
    record_full(api)

    run = sync_run("hubspot", connector=hubspot(api, client_for), full=True)

    assert run.removed == 1  # 21850022004 was merged into 21850022005
    assert "21850022004" not in deal_rows() and "21850022005" in deal_rows()


def test_a_dry_run_writes_nothing_and_moves_no_cursor(crm_people, api, client_for):
    record_full(api)
    run = sync_run("hubspot", connector=hubspot(api, client_for), dry_run=True)
    assert run.status == SyncRun.Status.DONE and run.created == 12
    assert not Deal.objects.exists() and not SyncCursor.objects.exists()


def test_429_and_5xx_are_tried_again_after_retry_after(crm_people, api, client_for, waits):
    record_full(api)
    deals = SEARCH.format("deals")
    first = api.routes[("POST", deals)]
    api.routes[("POST", deals)] = []
    api.add("POST", deals, "hubspot/rate-limited.json", status=429,
            headers={"Retry-After": "3"}, when=lambda s: _after(s) is None)  # fmt: skip
    api.add("POST", deals, "hubspot/server-error.json", status=502,
            when=lambda s: _after(s) == "2")  # fmt: skip
    api.routes[("POST", deals)] += first

    run = sync_run("hubspot", connector=hubspot(api, client_for))

    assert run.status == SyncRun.Status.DONE and run.created == 12
    assert waits == [3.0, 1.0]  # Retry-After, then the first back-off step
    assert [_after(s) for s in api.calls(deals)] == [None, None, "2", "2"]


def test_a_crm_that_keeps_failing_fails_the_run_without_its_token(crm_people, api, client_for):
    record_full(api)
    api.routes[("POST", SEARCH.format("deals"))] = []
    api.add("POST", SEARCH.format("deals"), "hubspot/server-error.json", status=503)
    connector = HubSpot(client_for({"Authorization": "Bearer pat-na1-secret"}, retries=2))

    run = sync_run("hubspot", connector=connector)

    assert run.status == SyncRun.Status.FAILED
    assert run.errors[-1]["reason"] == "POST /crm/v3/objects/deals/search answered 503"
    assert "secret" not in str(run.errors)
    assert len(api.calls(SEARCH.format("deals"))) == 3
    assert not SyncCursor.objects.filter(object_type="deals").exists()


def test_a_rate_limit_window_spent_waits_before_the_next_call(crm_people, api, client_for, waits):
    api.add("GET", "/crm/v3/owners", "hubspot/owners.json",
            headers={"X-HubSpot-RateLimit-Remaining": "0",
                     "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"})  # fmt: skip
    connector = hubspot(api, client_for)
    connector.owners()
    assert waits == []
    connector.owners()
    assert waits == [10.0]


def test_an_unknown_token_is_refused_at_once(crm_people, api, client_for, waits):
    api.add("GET", "/crm/v3/pipelines/deals", "hubspot/unauthorized.json", status=401)
    api.add("POST", SEARCH.format("companies"), "hubspot/unauthorized.json", status=401)
    run = sync_run("hubspot", connector=hubspot(api, client_for))
    assert run.status == SyncRun.Status.FAILED and waits == []
    assert "401" in run.errors[0]["reason"]


@pytest.mark.parametrize("name", ["deals-export.csv", "calls-export.csv"])
def test_the_recorded_exports_exist(name):
    assert Path(HUBSPOT / name).stat().st_size > 0


def test_meetings_emails_and_tasks_count_as_their_kind_when_done(crm_people, api, client_for):
    record_full(api)
    for name, status in (("meetings", 200), ("emails", 200), ("tasks", 207)):
        api.routes[("POST", SEARCH.format(name))] = []
        api.add("POST", SEARCH.format(name), f"hubspot/{name}-search.json")
        api.add("POST", COMPANIES_OF.format(name),
                f"hubspot/associations-{name}-companies.json", status=status)  # fmt: skip

    run = sync_run("hubspot", connector=hubspot(api, client_for))

    assert run.status == SyncRun.Status.DONE, run.errors
    rows = {key: row for key, row in activity_rows().items() if not key.startswith("6031")}
    # The no-show, the e-mail received and the task not started do not count.
    assert {key: row[0] for key, row in rows.items()} == {
        "70410055001": "meeting", "80510066001": "email", "90610077001": "call"
    }  # fmt: skip
    # A meeting with two companies (activities have no primary) takes the first listed;
    # the task has none (HubSpot's 207 lists both tasks among its errors).
    assert {key: row[3] for key, row in rows.items()} == {
        "70410055001": "31470001004", "80510066001": "31470001001", "90610077001": None
    }  # fmt: skip
    assert not any(differences().values())


def test_a_record_whose_companies_are_paged_is_read_on_until_its_primary(
    crm_people, api, client_for
):
    record_full(api)
    read = COMPANIES_OF.format("deals")
    further = {"inputs": [{"id": "21850022005", "after": "MzQxLTMxNDcwMDAxMDA0"}]}
    api.routes[("POST", read)] = []
    api.add("POST", read, "hubspot/associations-deals-companies-1.json", status=207,
            when=lambda s: _asked(s) == DEALS_PAGE_1)  # fmt: skip
    api.add(
        "POST",
        read,
        "hubspot/associations-deals-companies-paged-1.json",
        when=lambda s: s.body == {"inputs": [{"id": k} for k in sorted(DEALS_PAGE_2)]},
    )
    api.add("POST", read, "hubspot/associations-deals-companies-paged-2.json",
            when=lambda s: s.body == further)  # fmt: skip

    run = sync_run("hubspot", connector=hubspot(api, client_for))

    assert run.status == SyncRun.Status.DONE, run.errors
    assert deal_rows()["21850022005"][-1] == "31470001005"  # the primary, on the 2nd page
    assert deal_rows()["21850022003"][-1] == "31470001003"  # complete on the first
    assert [s.body for s in api.calls(read)][1:] == [
        {"inputs": [{"id": "21850022003"}, {"id": "21850022005"}]},
        further,  # only the record whose primary was still to come
    ]


def test_a_rate_limited_associations_read_is_tried_again(crm_people, api, client_for, waits):
    record_full(api)
    read = COMPANIES_OF.format("calls")
    recorded = api.routes[("POST", read)]
    api.routes[("POST", read)] = []
    api.add("POST", read, "hubspot/rate-limited.json", status=429, headers={"Retry-After": "2"})
    api.routes[("POST", read)] += recorded

    run = sync_run("hubspot", connector=hubspot(api, client_for))

    assert run.status == SyncRun.Status.DONE, run.errors
    assert waits == [2.0]
    assert len(api.calls(read)) == 2
    assert activity_rows()["60310044001"][3] == "31470001001"


def test_an_associations_error_other_than_none_found_fails_the_run(crm_people, api, client_for):
    record_full(api)
    read = COMPANIES_OF.format("deals")
    api.routes[("POST", read)] = []
    api.add("POST", read, "hubspot/associations-failed.json", status=207)

    run = sync_run("hubspot", connector=hubspot(api, client_for))

    # No deal is written without its company; the companies before them were.
    assert run.status == SyncRun.Status.FAILED
    assert run.errors[-1]["reason"] == (
        "POST /crm/v4/associations/deals/companies/batch/read answered INTERNAL_ERROR"
        " for 21850022002"
    )
    assert not Deal.objects.exists() and len(account_rows()) == 5
    assert set(SyncCursor.objects.values_list("object_type", flat=True)) == {"companies"}
