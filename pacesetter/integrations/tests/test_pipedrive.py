"""Pipedrive end to end against recorded API v1 answers served by a local HTTP server."""

from __future__ import annotations

from decimal import Decimal

from pacesetter.integrations.connectors.pipedrive import Pipedrive
from pacesetter.integrations.models import SyncRun
from pacesetter.integrations.sync import sync_run
from pacesetter.integrations.tests.conftest import RECORDED, RecordedApi, Seen
from pacesetter.integrations.tests.test_hubspot import activity_rows, deal_rows, rollup_rows
from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Activity, ActivityMonth, Deal, DealMonth
from pacesetter.ledger.rollups import differences

PIPEDRIVE = RECORDED / "pipedrive"


def _q(seen: Seen, name: str) -> str | None:
    return (seen.query.get(name) or [None])[0]


def record_full(api: RecordedApi) -> None:
    api.add("GET", "/api/v1/stages", "pipedrive/stages.json")
    api.add("GET", "/api/v1/users", "pipedrive/users.json")
    api.add("GET", "/api/v1/organizations", "pipedrive/empty.json")
    api.add(
        "GET",
        "/api/v1/deals",
        "pipedrive/deals-1.json",
        when=lambda s: _q(s, "status") == "all_not_deleted" and _q(s, "start") == "0",
    )
    api.add(
        "GET",
        "/api/v1/deals",
        "pipedrive/deals-2.json",
        when=lambda s: _q(s, "status") == "all_not_deleted" and _q(s, "start") == "2",
    )
    api.add(
        "GET", "/api/v1/deals", "pipedrive/empty.json", when=lambda s: _q(s, "status") == "deleted"
    )
    api.add("GET", "/api/v1/activities", "pipedrive/activities.json")  # fmt: skip


def pipedrive(client_for) -> Pipedrive:
    return Pipedrive(client_for({"x-api-token": "pd-secret-token"}))


def test_a_first_sync_pages_until_no_more_items(crm_people, api, client_for):
    record_full(api)
    run = sync_run("pipedrive", connector=pipedrive(client_for))

    assert run.status == SyncRun.Status.DONE, run.errors
    assert (run.created, run.rejected) == (6, 0)  # 4 deals, 2 done activities
    deals = deal_rows()
    assert deals["1041"][1:5] == ("Alice Adams", Decimal("8200.00"), "Negotiations Started", "won")
    assert deals["1042"][4] == "lost" and deals["1043"][4] == "open"
    assert set(activity_rows()) == {"5201", "5202"}  # the demo is not done yet
    deal_calls = [s for s in api.calls("/api/v1/deals") if _q(s, "status") == "all_not_deleted"]
    assert [_q(s, "start") for s in deal_calls] == ["0", "2"]
    assert _q(deal_calls[0], "sort") == "update_time DESC"
    assert all(s.headers["x-api-token"] == "pd-secret-token" for s in api.requests)
    assert not any("pd-secret-token" in str(s.query) for s in api.requests)  # never in a URL
    assert _q(api.calls("/api/v1/activities")[0], "user_id") == "0"  # everyone's
    assert run.cursor_after == {"deals": "2026-11-16T12:40:18+00:00",
                                "activities": "2026-11-03T15:02:10+00:00"}  # fmt: skip
    assert not any(differences().values())


def test_a_sync_and_an_import_of_the_same_records_agree_row_for_row(crm_people, api, client_for):
    record_full(api)
    sync_run("pipedrive", connector=pipedrive(client_for))
    synced = (deal_rows(), activity_rows(), rollup_rows())

    for model in (Deal, Activity, DealMonth, ActivityMonth):
        model.objects.all().delete()
    for kind, name in (("deals", "deals-export.csv"), ("activities", "activities-export.csv")):
        report = run_import(kind, PIPEDRIVE / name, options=ImportOptions(preset="pipedrive"))
        assert report.committed and not report.errors, report.errors

    assert (deal_rows(), activity_rows(), rollup_rows()) == synced


def test_a_second_sync_stops_at_its_cursor_and_removes_deleted_deals(crm_people, api, client_for):
    record_full(api)
    sync_run("pipedrive", connector=pipedrive(client_for))
    api.routes.clear()
    api.requests.clear()
    record_full(api)
    api.routes[("GET", "/api/v1/deals")] = []
    api.add("GET", "/api/v1/deals", "pipedrive/deals-changed.json",
            when=lambda s: _q(s, "status") == "all_not_deleted")  # fmt: skip
    api.add("GET", "/api/v1/deals", "pipedrive/deals-deleted.json",
            when=lambda s: _q(s, "status") == "deleted")  # fmt: skip
    api.add("GET", "/api/v1/recents", "pipedrive/recents-activities.json")

    run = sync_run("pipedrive", connector=pipedrive(client_for))

    # Only the first page: its last deal is older than the cursor.
    assert len([s for s in api.calls("/api/v1/deals") if _q(s, "status") != "deleted"]) == 1
    recents = api.calls("/api/v1/recents")[0]
    assert (_q(recents, "since_timestamp"), _q(recents, "items")) == (
        "2026-11-03 15:00:10", "activity")  # fmt: skip
    deals = deal_rows()
    assert deals["1043"][2:5] == (Decimal("6100.00"), "Negotiations Started", "won")
    assert "1042" not in deals  # deleted in Pipedrive
    assert "1045" not in deals  # its owner (Dora) is nobody here
    assert run.unmatched_owners == [{"id": "13088009", "name": "Dora Diaz <dora@example.com>",
                                     "rows": 1}]  # fmt: skip
    activities = activity_rows()
    assert "5203" in activities and "5202" not in activities  # done now; deleted
    assert (run.updated, run.rejected, run.removed) == (1, 1, 2)
    assert not any(differences().values())


def test_429_waits_for_the_window_to_reset(crm_people, api, client_for, waits):
    record_full(api)
    api.routes[("GET", "/api/v1/stages")] = []
    api.add("GET", "/api/v1/stages", "pipedrive/rate-limited.json", status=429,
            headers={"x-ratelimit-limit": "80", "x-ratelimit-remaining": "0",
                     "x-ratelimit-reset": "2"})  # fmt: skip
    api.add("GET", "/api/v1/stages", "pipedrive/stages.json")

    run = sync_run("pipedrive", connector=pipedrive(client_for))

    assert run.status == SyncRun.Status.DONE and run.created == 6
    assert waits == [2.0]
