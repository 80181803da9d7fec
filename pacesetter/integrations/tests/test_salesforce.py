"""Salesforce end to end: the OAuth refresh-token flow and SOQL queries answered by a local
HTTP server with recorded REST API responses."""

from __future__ import annotations

import time
from decimal import Decimal

import jwt

from pacesetter.config import CrmSettings
from pacesetter.integrations.connectors.salesforce import Salesforce
from pacesetter.integrations.models import SyncRun
from pacesetter.integrations.sync import sync_run
from pacesetter.integrations.tests.conftest import RECORDED, RecordedApi, Seen
from pacesetter.integrations.tests.test_hubspot import activity_rows, deal_rollups, deal_rows
from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Activity, ActivityMonth, Deal, DealMonth
from pacesetter.ledger.rollups import differences

QUERY = "/services/data/v62.0/queryAll"
NEXT = "/services/data/v62.0/queryAll/01gHp00000AbCdEIAV-2000"
TOKEN = "/services/oauth2/token"


def soql(seen: Seen) -> str:
    return (seen.query.get("q") or [""])[0]


def about(name: str):
    return lambda seen: f"FROM {name}" in soql(seen)


def token_answer(api: RecordedApi, access: str = "00DHp0000001abc!AQ4AQFirst") -> dict:
    return {"access_token": access, "signature": "uLxH0n0u8ZyQx1mDq5c0y7Lw5rWc2cVv3v4u5E6F7G8=",
            "scope": "refresh_token api", "instance_url": api.url,
            "id": "https://login.salesforce.com/id/00DHp0000001abcMAA/005Hp00000Ak3RqIAJ",
            "token_type": "Bearer", "issued_at": "1794927600000"}  # fmt: skip


def record_full(api: RecordedApi) -> None:
    api.add("POST", TOKEN, token_answer(api))
    api.add("GET", QUERY, "salesforce/empty.json", when=about("Account"))
    api.add("GET", QUERY, "salesforce/opportunities-1.json", when=about("Opportunity"))
    api.add("GET", NEXT, "salesforce/opportunities-2.json")
    api.add("GET", QUERY, "salesforce/tasks.json", when=about("Task"))
    api.add("GET", QUERY, "salesforce/events.json", when=about("Event"))
    api.add("GET", QUERY, "salesforce/users.json", when=about("User"))


def salesforce(api: RecordedApi, client_for) -> Salesforce:
    settings = CrmSettings(url=api.url, client_id="3MVG9-client", client_secret="sf-secret",
                           refresh_token="5Aep-refresh-secret")  # fmt: skip
    return Salesforce(client_for(), settings)


def test_a_first_sync_logs_in_and_follows_next_records_url(crm_people, api, client_for):
    record_full(api)
    run = sync_run("salesforce", connector=salesforce(api, client_for))

    assert run.status == SyncRun.Status.DONE, run.errors
    assert (run.created, run.rejected) == (6, 0)  # 3 opportunities, 2 closed tasks, 1 event
    login = api.calls(TOKEN)[0].body
    assert login == {
        "grant_type": "refresh_token",
        "client_id": "3MVG9-client",
        "client_secret": "sf-secret",
        "refresh_token": "5Aep-refresh-secret",
    }
    queries = api.calls(QUERY)
    assert all(q.headers["Authorization"] == "Bearer 00DHp0000001abc!AQ4AQFirst" for q in queries)
    assert "WHERE" not in soql(queries[1]) and soql(queries[1]).endswith("ORDER BY SystemModstamp")
    assert len(api.calls(NEXT)) == 1
    deals = deal_rows()
    assert deals["006Hp00000Fa1QaIAJ"][1:5] == ("Alice Adams", Decimal("18500.00"), "Closed Won",
                                               "won")  # fmt: skip
    assert deals["006Hp00000Fa4QdIAJ"][4] == "open"
    activities = activity_rows()
    assert {k: v[0] for k, v in activities.items()} == {
        "00THp00000Ta1AaMAJ": "call", "00THp00000Ta2AbMAJ": "email", "00UHp00000Ev1AaMAJ": "meeting"
    }  # fmt: skip
    assert run.cursor_after["Opportunity"] == "2026-11-10T08:00:00+00:00"
    assert not any(differences().values())


def test_a_sync_and_an_import_of_the_same_records_agree_row_for_row(crm_people, api, client_for):
    record_full(api)
    sync_run("salesforce", connector=salesforce(api, client_for))
    synced = deal_rows(), deal_rollups()

    for model in (Deal, Activity, DealMonth, ActivityMonth):
        model.objects.all().delete()
    report = run_import("deals", RECORDED / "salesforce" / "opportunities-export.csv",
                        options=ImportOptions(preset="salesforce"))  # fmt: skip
    assert report.committed and not report.errors, report.errors

    assert (deal_rows(), deal_rollups()) == synced


def test_a_second_sync_asks_from_its_cursor_and_removes_deleted_records(
    crm_people, api, client_for
):
    record_full(api)
    sync_run("salesforce", connector=salesforce(api, client_for))
    api.routes.clear()
    api.requests.clear()
    record_full(api)
    api.routes[("GET", QUERY)] = [a for a in api.routes[("GET", QUERY)] if a.body["records"] == []
                                  or "Opportunity" not in str(a.body)]  # fmt: skip
    api.add("GET", QUERY, "salesforce/opportunities-changed.json", when=about("Opportunity"))

    run = sync_run("salesforce", connector=salesforce(api, client_for))

    query = soql(next(q for q in api.calls(QUERY) if "Opportunity" in soql(q)))
    assert "WHERE SystemModstamp >= 2026-11-10T07:58:00Z ORDER BY SystemModstamp" in query
    deals = deal_rows()
    assert "006Hp00000Fa3QcIAJ" not in deals  # deleted (queryAll: IsDeleted)
    assert deals["006Hp00000Fa4QdIAJ"][2:5] == (Decimal("9900.00"), "Closed Won", "won")
    assert run.removed == 1 and run.updated == 1
    assert not any(differences().values())


def test_an_expired_session_is_renewed_once(crm_people, api, client_for):
    record_full(api)
    api.routes[("POST", TOKEN)] = []
    api.add("POST", TOKEN, token_answer(api, "00DHp0000001abc!AQ4AQFirst"))
    api.add("POST", TOKEN, token_answer(api, "00DHp0000001abc!AQ4AQSecond"))
    first = api.routes[("GET", QUERY)][0]
    api.routes[("GET", QUERY)].insert(0, type(first)(401, [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}], {},
        about("Account")))  # fmt: skip

    run = sync_run("salesforce", connector=salesforce(api, client_for))

    assert run.status == SyncRun.Status.DONE, run.errors
    assert len(api.calls(TOKEN)) == 2
    assert api.calls(QUERY)[-1].headers["Authorization"] == "Bearer 00DHp0000001abc!AQ4AQSecond"


def test_a_refused_refresh_token_fails_the_run_without_secrets(crm_people, api, client_for):
    api.add("POST", TOKEN, "salesforce/token-refused.json", status=400)
    run = sync_run("salesforce", connector=salesforce(api, client_for))
    assert run.status == SyncRun.Status.FAILED
    assert run.errors[0]["reason"] == "POST /services/oauth2/token answered 400"
    assert "secret" not in str(run.errors)


def test_the_jwt_bearer_flow_signs_with_the_connected_apps_key(
    crm_people, api, client_for, tmp_path
):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "server.key"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    record_full(api)
    settings = CrmSettings(url=api.url, client_id="3MVG9-client", username="sync@northwind.example",
                           private_key_file=str(pem))  # fmt: skip

    run = sync_run("salesforce", connector=Salesforce(client_for(), settings))

    assert run.status == SyncRun.Status.DONE and run.created == 6
    form = api.calls(TOKEN)[0].body
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    claims = jwt.decode(form["assertion"], key.public_key(), algorithms=["RS256"],
                        audience=api.url)  # fmt: skip
    assert (claims["iss"], claims["sub"]) == ("3MVG9-client", "sync@northwind.example")
    assert 0 < claims["exp"] - time.time() <= 180
