"""Every read endpoint as every role: the right people are served what the pages would show
them, the wrong ones refused (401 without a valid token, 403 for another role's endpoint,
404 outside the scope, whether the thing exists or not)."""

from __future__ import annotations

import pytest

from pacesetter.goals.models import Goal

V1 = "/api/v1"
NOBODY = ("anonymous", "revoked", "expired")


def who_of(name: str) -> str | None:
    return None if name == "anonymous" else name


@pytest.mark.parametrize(
    "url",
    [
        "/people",
        "/people/1",
        "/units",
        "/units/1",
        "/goals",
        "/goals/1",
        "/goals/1/history",
        "/goals/1/progress",
        "/progress",
        "/leaderboards",
        "/rewards/awards",
        "/imports",
        "/imports/1",
        "/imports/1/report",
        "/sync-runs",
        "/sync-runs/1",
    ],
)
@pytest.mark.parametrize("caller", NOBODY)
def test_without_a_valid_token_every_endpoint_answers_401(client, api_org, url, caller):
    response = api_org.get(client, V1 + url, who_of(caller))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_writes_without_a_valid_token_answer_401(client, api_org):
    alice_goal = api_org.goals["alice"]
    for caller in NOBODY:
        response = api_org.post(
            client,
            f"{V1}/goals/{alice_goal.pk}/target",
            who_of(caller),
            {"target": "1", "reason": "x", "based_on": 1},
        )
        assert response.status_code == 401
        new = {"metric": "demos_held", "period": "2026-12", "target": "5", "person_id": 1}
        assert api_org.post(client, f"{V1}/goals", who_of(caller), new).status_code == 401
        upload = client.post(f"{V1}/imports", {"kind": "deals"}, **api_org.headers(who_of(caller)))
        assert upload.status_code == 401
    alice_goal.refresh_from_db()
    assert alice_goal.target == 10000
    assert not Goal.objects.filter(metric="demos_held").exists()


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["full_name"] for row in response.json()["items"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["Alice Adams", "Bob Brown", "Charlie Chen", "Mia Manager", "Olga Ops",
                   "Rhea Region"]),
        ("regional", ["Alice Adams", "Bob Brown", "Charlie Chen", "Mia Manager", "Rhea Region"]),
        ("manager", ["Alice Adams", "Bob Brown", "Mia Manager"]),
        ("rep", ["Alice Adams"]),
    ],
)  # fmt: skip
def test_people_are_those_the_caller_may_see(client, api_org, who, expected):
    assert names(api_org.get(client, f"{V1}/people", who)) == expected


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("regional", 200), ("manager", 404), ("rep", 404)]
)
def test_a_person_outside_the_scope_is_not_found(client, api_org, who, status):
    charlie = api_org.org.charlie
    response = api_org.get(client, f"{V1}/people/{charlie.pk}", who)
    assert response.status_code == status
    if status == 200:
        assert response.json()["unit_id"] == api_org.org.beta.pk
    else:
        assert response.json()["error"]["code"] == "not_found"
    # a person who does not exist answers the same
    assert api_org.get(client, f"{V1}/people/999999", who).status_code == 404


def test_people_of_a_unit_need_the_units_full_view(client, api_org):
    o = api_org.org
    response = api_org.get(client, f"{V1}/people", "regional", unit=o.beta.pk)
    assert names(response) == ["Charlie Chen"]
    assert api_org.get(client, f"{V1}/people", "manager", unit=o.beta.pk).status_code == 404
    assert api_org.get(client, f"{V1}/people", "rep", unit=o.alpha.pk).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["Americas", "Northwind", "Team Alpha", "Team Beta"]),
        ("regional", ["Americas", "Team Alpha", "Team Beta"]),
        ("manager", ["Team Alpha"]),
        ("rep", ["Team Alpha"]),
    ],
)
def test_units_are_those_the_caller_may_see(client, api_org, who, expected):
    response = api_org.get(client, f"{V1}/units", who)
    assert sorted(u["name"] for u in response.json()["items"]) == expected
    beta = api_org.get(client, f"{V1}/units/{api_org.org.beta.pk}", who)
    assert beta.status_code == (200 if "Team Beta" in expected else 404)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["alice", "alpha", "beta", "bob", "charlie"]),
        ("regional", ["alice", "alpha", "beta", "bob", "charlie"]),
        ("manager", ["alice", "alpha", "bob"]),
        ("rep", ["alice", "alpha"]),
    ],
)
def test_goals_are_those_the_caller_may_see(client, api_org, who, expected):
    ids = {g.pk: name for name, g in api_org.goals.items()}
    response = api_org.get(client, f"{V1}/goals", who)
    assert response.status_code == 200
    assert sorted(ids[g["id"]] for g in response.json()["items"]) == expected
    for name, g in api_org.goals.items():
        for suffix in ("", "/history", "/progress"):
            one = api_org.get(client, f"{V1}/goals/{g.pk}{suffix}", who)
            assert one.status_code == (200 if name in expected else 404), (name, suffix)


def test_a_goal_reads_as_stored(client, api_org):
    g = api_org.goals["alice"]
    body = api_org.get(client, f"{V1}/goals/{g.pk}", "rep").json()
    assert body == {
        "id": g.pk, "metric": "revenue_won", "person_id": api_org.org.alice.pk, "unit_id": None,
        "kind": "standard", "period": "2026-11", "period_kind": "month",
        "period_start": "2026-11-01", "period_end": "2026-12-01", "target": "10000.00",
        "priority": 1, "note": "", "version": 1, "plan_id": None,
    }  # fmt: skip


def test_goals_filter_by_period_person_unit_and_metric(client, api_org):
    o, g = api_org.org, api_org.goals

    def ids(**params):
        response = api_org.get(client, f"{V1}/goals", "admin", **params)
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["items"])

    assert ids(person=o.bob.pk) == [g["bob"].pk]
    assert ids(unit=o.beta.pk) == [g["beta"].pk]
    assert ids(metric="meetings_booked") == sorted([g["alpha"].pk, g["beta"].pk])
    assert len(ids(period="2026-Q4")) == 5
    assert ids(period="2026-10") == []
    bad = api_org.get(client, f"{V1}/goals", "admin", period="soon")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"period": ["not a period"]}


def test_lists_are_paged_with_a_maximum(client, api_org):
    first = api_org.get(client, f"{V1}/goals", "admin", limit=2).json()
    second = api_org.get(client, f"{V1}/goals", "admin", limit=2, offset=2).json()
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert len(first["items"]) == len(second["items"]) == 2
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
    too_many = api_org.get(client, f"{V1}/goals", "admin", limit=201)
    assert too_many.status_code == 422
    assert set(too_many.json()["error"]["fields"]) == {"limit"}


def test_progress_is_the_pages_progress(client, api_org, django_assert_max_num_queries):
    with django_assert_max_num_queries(22):
        response = api_org.get(client, f"{V1}/progress", "rep")
    items = {row["goal_id"]: row for row in response.json()["items"]}
    alice = items[api_org.goals["alice"].pk]
    assert set(items) == {api_org.goals["alice"].pk, api_org.goals["alpha"].pk}
    assert (alice["actual"], alice["attainment"], alice["status"]) == ("12000.00", "120.0",
                                                                      "achieved")  # fmt: skip
    one = api_org.get(client, f"{V1}/goals/{api_org.goals['alice'].pk}/progress", "rep").json()
    assert one == alice


def test_progress_costs_the_same_queries_for_more_goals(
    client, api_org, django_assert_num_queries, quiet_database
):
    from pacesetter.api.tests.conftest import goal

    api_org.get(client, f"{V1}/progress", "admin")  # warm the caches (settings, calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        api_org.get(client, f"{V1}/progress", "admin")
    o = api_org.org
    for person in (o.manager, o.regional_manager, o.admin):
        goal("revenue_won", 5000, person=person)
    with django_assert_num_queries(len(few.captured_queries)):
        response = api_org.get(client, f"{V1}/progress", "admin")
    assert response.json()["count"] == 8


@pytest.mark.parametrize(
    ("who", "alpha", "beta"),
    [("admin", 200, 200), ("regional", 200, 200), ("manager", 200, 404), ("rep", 200, 404)],
)
def test_leaderboards_of_the_units_the_caller_sees(client, api_org, who, alpha, beta):
    o = api_org.org
    response = api_org.get(client, f"{V1}/leaderboards", who, unit=o.alpha.pk)
    assert response.status_code == alpha
    board = response.json()
    assert (board["metric"], board["period"]) == ("meetings_booked", "2026-11")
    assert sorted(s["full_name"] for s in board["standings"]) == ["Alice Adams", "Bob Brown"]
    assert api_org.get(client, f"{V1}/leaderboards", who, unit=o.beta.pk).status_code == beta


def test_a_reps_leaderboard_is_their_teams_by_default(client, api_org):
    board = api_org.get(client, f"{V1}/leaderboards", "rep").json()
    assert board["unit_id"] == api_org.org.alpha.pk
    admins = api_org.get(client, f"{V1}/leaderboards", "admin").json()
    assert admins["unit_id"] == api_org.org.company.pk  # Olga belongs to Northwind
    assert sorted(s["full_name"] for s in admins["standings"]) == [
        "Alice Adams", "Bob Brown", "Charlie Chen"]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", ["alice", "charlie"]), ("regional", ["alice", "charlie"]), ("manager", ["alice"]),
     ("rep", ["alice"]), ("bob", [])],
)  # fmt: skip
def test_awards_are_those_the_rewards_page_shows(client, api_org, who, expected):
    ids = {a.pk: name for name, a in api_org.awards.items()}
    response = api_org.get(client, f"{V1}/rewards/awards", who)
    assert response.status_code == 200
    rows = response.json()["items"]
    assert sorted(ids[a["id"]] for a in rows) == expected
    if rows:
        assert rows[0]["value"] == "250.00" and rows[0]["rule"] == "Monthly revenue met"


@pytest.mark.parametrize("url", ["/imports", "/sync-runs", "/sync-runs/1", "/imports/1"])
@pytest.mark.parametrize("who", ["regional", "manager", "rep"])
def test_admin_endpoints_refuse_other_roles(client, api_org, url, who):
    response = api_org.get(client, V1 + url, who)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_sync_runs_are_read_by_admins(client, api_org):
    from pacesetter.integrations.models import SyncRun

    run = SyncRun.objects.create(connector="hubspot", status="done", created=3, requested_by="olga")
    listed = api_org.get(client, f"{V1}/sync-runs", "admin", connector="hubspot").json()
    assert [r["id"] for r in listed["items"]] == [run.pk]
    one = api_org.get(client, f"{V1}/sync-runs/{run.pk}", "admin").json()
    assert (one["connector"], one["created"], one["status"]) == ("hubspot", 3, "done")
    assert (
        api_org.get(client, f"{V1}/sync-runs", "admin", connector="salesforce").json()["count"] == 0
    )


def test_unknown_addresses_and_methods_answer_the_error_body(client, api_org):
    missing = api_org.get(client, f"{V1}/nothing/here", "admin")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = client.delete(f"{V1}/goals", **api_org.headers("admin"))
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong["Allow"] and "POST" in wrong["Allow"]
    bad_id = api_org.get(client, f"{V1}/goals/abc", "admin")
    assert bad_id.status_code == 422 and set(bad_id.json()["error"]["fields"]) == {"goal_id"}
