"""Setting goals and changing targets through the API: the same services as the pages
(history, versions, closed periods), refused for the wrong role or outside the scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pacesetter.goals.models import Goal, GoalChange

V1 = "/api/v1"


def new_goal(api_org, **fields) -> dict:
    data = {"metric": "demos_held", "period": "2026-12", "target": "12", "priority": 2}
    data.update(fields)
    return data


@pytest.mark.parametrize(("who", "status"), [("admin", 201), ("regional", 201),
                                             ("manager", 201), ("rep", 403)])  # fmt: skip
def test_managers_set_goals_for_their_people(client, api_org, who, status):
    bob = api_org.org.bob
    response = api_org.post(client, f"{V1}/goals", who, new_goal(api_org, person_id=bob.pk))
    assert response.status_code == status, response.content
    made = Goal.objects.filter(person=bob, metric="demos_held")
    if status == 201:
        body = response.json()
        assert (body["target"], body["period"], body["version"]) == ("12.00", "2026-12", 1)
        goal = made.get()
        assert (
            goal.history.get().changed_by
            == getattr(
                api_org.org,
                {"admin": "admin", "regional": "regional_manager", "manager": "manager"}[who],
            ).user
        )
    else:
        assert response.json()["error"]["code"] == "forbidden"
        assert not made.exists()


def test_a_manager_cannot_set_goals_outside_their_subtree_nor_their_own(client, api_org):
    o = api_org.org
    outside = api_org.post(
        client, f"{V1}/goals", "manager", new_goal(api_org, person_id=o.charlie.pk)
    )
    assert outside.status_code == 404
    beta = api_org.post(client, f"{V1}/goals", "manager", new_goal(api_org, unit_id=o.beta.pk))
    assert beta.status_code == 404
    own = api_org.post(client, f"{V1}/goals", "manager", new_goal(api_org, person_id=o.manager.pk))
    assert own.status_code == 403
    assert not Goal.objects.filter(metric="demos_held").exists()


def test_a_goal_that_exists_is_not_overwritten(client, api_org):
    alice = api_org.org.alice
    data = new_goal(api_org, metric="revenue_won", period="2026-11", person_id=alice.pk)
    response = api_org.post(client, f"{V1}/goals", "manager", data)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "goal_exists"
    assert error["current"]["id"] == api_org.goals["alice"].pk
    api_org.goals["alice"].refresh_from_db()
    assert api_org.goals["alice"].target == 10000


def test_bad_goals_are_refused_field_by_field(client, api_org):
    bob = api_org.org.bob
    data = new_goal(api_org, person_id=bob.pk, metric="nope", period="2026", kind="odd")
    error = api_org.post(client, f"{V1}/goals", "admin", data).json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"metric", "period", "kind"}
    negative = api_org.post(client, f"{V1}/goals", "admin", new_goal(api_org, person_id=bob.pk,
                                                                     target="-1"))  # fmt: skip
    assert negative.status_code == 422
    assert "target" in negative.json()["error"]["fields"]
    both = api_org.post(client, f"{V1}/goals", "admin", new_goal(api_org))
    assert both.status_code == 422


def change(api_org, client, who, goal, **fields):
    data = {"target": "12000", "reason": "bigger territory", "based_on": goal.version}
    data.update(fields)
    return api_org.post(client, f"{V1}/goals/{goal.pk}/target", who, data)


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("regional", 200),
                                             ("manager", 200), ("rep", 404)])  # fmt: skip
def test_changing_a_target_as_each_role(client, api_org, who, status):
    bob_goal = api_org.goals["bob"]
    response = change(api_org, client, who, bob_goal)
    assert response.status_code == status
    bob_goal.refresh_from_db()
    if status == 200:
        assert response.json()["version"] == 2
        assert bob_goal.target == Decimal(12000)
        last = GoalChange.objects.filter(goal=bob_goal).latest("version")
        assert (last.old_target, last.new_target, last.reason) == (10000, 12000, "bigger territory")
    else:
        assert bob_goal.target == 10000


def test_a_rep_cannot_change_their_own_target(client, api_org):
    response = change(api_org, client, "rep", api_org.goals["alice"])
    assert response.status_code == 403
    assert api_org.goals["alice"].history.count() == 0


def test_a_stale_change_answers_409_with_what_changed(client, api_org):
    goal = api_org.goals["bob"]
    assert change(api_org, client, "manager", goal, target="11000").status_code == 200
    response = change(api_org, client, "regional", goal, target="9000", based_on=1)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale"
    assert (error["current"]["version"], error["current"]["target"]) == (2, "11000.00")
    assert [(c["changed_by"], c["new_target"]) for c in error["changes"]] == [("mia", "11000.00")]
    goal.refresh_from_db()
    assert goal.target == 11000
    again = change(api_org, client, "regional", goal, target="9000", based_on=2)
    assert again.status_code == 200 and again.json()["version"] == 3


@pytest.mark.time_machine("2026-12-15 15:00 +00:00")
def test_a_target_in_a_closed_period_answers_409(client, api_org):
    response = change(api_org, client, "admin", api_org.goals["bob"])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "period_closed"


def test_a_change_needs_a_reason_and_a_version(client, api_org):
    goal = api_org.goals["bob"]
    response = api_org.post(client, f"{V1}/goals/{goal.pk}/target", "admin", {"target": "5"})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"reason", "based_on"}


def test_history_lists_the_changes(client, api_org):
    goal = api_org.goals["bob"]
    change(api_org, client, "manager", goal)
    rows = api_org.get(client, f"{V1}/goals/{goal.pk}/history", "manager").json()
    assert [(r["version"], r["old_target"], r["new_target"], r["changed_by"]) for r in rows] == [
        (2, "10000.00", "12000.00", "mia")
    ]
