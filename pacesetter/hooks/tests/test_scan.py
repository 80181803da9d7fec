"""The webhooks' events, found by the scan (goals met and at risk, rewards earned, collective
goals met) and announced by imports, each sent once to a real local receiver.

"At risk" is the team page's risk list (``tracking.risk``): in the small web org nobody has
history, so Bob, behind his pace, is no event; the org of ``tracking/tests/test_risk.py``
has nine weeks of history and a rep who is at risk."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacesetter import planning
from pacesetter.conftest import run_command
from pacesetter.hooks.models import Delivery
from pacesetter.hooks.scan import scan
from pacesetter.hooks.services import endpoint_create
from pacesetter.hooks.signing import HEADER, verify
from pacesetter.ledger.importers.engine import run_import
from pacesetter.ledger.importers.options import ImportOptions
from pacesetter.metrics.tests.conftest import new_york  # noqa: F401  (a fixture)
from pacesetter.notifications.tests.test_scan import earned
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.tests.test_risk import (
    FRIDAY,
    WEEK,
    demos,
    goal,
    org,  # noqa: F401  (a fixture)
)
from pacesetter.web.tests.conftest import log_demos, make_goal


def payloads(receiver) -> dict[str, dict]:
    return {json.loads(p.body)["id"]: json.loads(p.body) for p in receiver.posts}


def test_the_scan_sends_each_event_once(
    web_org, receiver, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    o, today = web_org.org, web_org.today
    _endpoint, secret = endpoint_create(name="CRM", url=receiver.url)
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    beta_demos = make_goal("demos_held", start, end, 30, unit=o.beta, kind="collective")
    log_demos(o.charlie, 30, start, today)  # Charlie meets his goal: Team Beta's is met
    award = earned(o.alice, web_org.alice_demos)

    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(40),
    ):  # risk: + its history
        result = scan(today)

    a, c = web_org.alice_demos.pk, web_org.charlie_demos.pk
    sent = payloads(receiver)
    assert set(sent) == {  # Bob is behind, without history: no evidence, no at-risk event
        f"goal.met:{a}",
        f"goal.met:{c}",
        f"reward.earned:{award.pk}",
        f"collective_goal.met:{beta_demos.pk}",
    }
    assert result["deliveries"] == 4
    assert all(verify(secret, p.headers[HEADER], p.body) for p in receiver.posts)
    reward = sent[f"reward.earned:{award.pk}"]["data"]
    assert reward["award"]["reward"] == "$250 bonus" and reward["award"]["value"] == "250.00"
    collective = sent[f"collective_goal.met:{beta_demos.pk}"]["data"]
    assert collective["unit"]["name"] == "Team Beta"
    assert [m["name"] for m in collective["members"]] == ["Charlie Chen"]

    with django_capture_on_commit_callbacks(execute=True):
        again = scan(today)
    assert again["deliveries"] == 0 and len(receiver.posts) == 4


@pytest.mark.time_machine("2026-12-04 10:00 -05:00")
def test_a_goal_on_the_risk_list_is_sent_as_at_risk(
    org,  # noqa: F811
    receiver,
    django_capture_on_commit_callbacks,
):
    """Friday 4 December: Bob has 3 of his 5 demos with a day left (a 26 % chance on his own
    history: at risk, savable); Dana 1 of 9 (lost) is behind as well, but no event."""
    endpoint_create(name="CRM", url=receiver.url)
    week = planning.working_days((WEEK[0], FRIDAY), work_calendar())  # Monday to Thursday
    bobs = goal(org.bob, 5)
    goal(org.dana, 9)
    demos(org.bob, week[:3])
    demos(org.dana, week[:1])

    with django_capture_on_commit_callbacks(execute=True):
        scan(FRIDAY)

    risks = [p for key, p in payloads(receiver).items() if key.startswith("goal.at_risk")]
    assert [p["id"] for p in risks] == [f"goal.at_risk:{bobs.pk}:2026-11-30"]
    (risk,) = risks
    assert risk["data"]["goal"]["person"] == {
        "id": org.bob.pk, "name": "Bob Brown", "email": "bob@example.com"
    }  # fmt: skip
    assert risk["data"]["actual"] == "3" and risk["data"]["status"] in ("behind", "at_risk")
    assert risk["data"]["goal"]["metric"] == "demos_held"


def test_the_scan_costs_the_same_for_more_goals(web_org, receiver):
    endpoint_create(name="CRM", url=receiver.url)

    def cost() -> int:
        Delivery.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            scan(web_org.today)  # the deliveries' one job waits for the commit
        return len(queries)

    before = cost()
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    o = web_org.org
    for person in (o.manager, o.regional_manager, o.admin):
        make_goal("demos_held", start, end, 30, person=person)
        log_demos(person, 31, start, web_org.today)
    assert cost() == before


def test_nothing_is_looked_at_without_an_endpoint(web_org, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert scan(web_org.today)["deliveries"] == 0


def test_the_command_runs_the_scan(web_org, receiver):
    endpoint_create(name="CRM", url=receiver.url)
    out = run_command("webhooks scan")
    assert out.startswith("Webhooks for 2026-11-18: ") and " new." in out
    assert Delivery.objects.count() >= 1
    listed = run_command("webhooks list")
    assert "CRM" in listed and receiver.url in listed and "whsec_" not in listed


HEADER_ROW = "Deal ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner\n"


def test_an_import_that_ran_is_announced_and_a_dry_run_is_not(
    small_org, receiver, tmp_path, django_capture_on_commit_callbacks
):
    endpoint_create(name="CRM", url=receiver.url, events=["import.finished"])
    path = tmp_path / "deals.csv"
    path.write_text(HEADER_ROW + "1,Acme,Closed Won,1200,2026-03-20,2026-03-01,Alice Adams\n")

    with django_capture_on_commit_callbacks(execute=True):
        run_import("deals", path, options=ImportOptions(preset="hubspot", dry_run=True))
    assert receiver.posts == []
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import("deals", path, options=ImportOptions(preset="hubspot"))
    assert report.committed
    [post] = receiver.posts
    body = json.loads(post.body)
    assert body["type"] == "import.finished" and body["id"].startswith("import.finished:")
    data = body["data"]
    assert (data["kind"], data["source"], data["file"]) == ("deals", "hubspot", "deals.csv")
    assert (data["ok"], data["rows"], data["created"], data["rejected"]) == (True, 1, 1, 0)


def test_an_import_stopped_by_bad_rows_is_announced_as_not_ok(
    small_org, receiver, tmp_path, django_capture_on_commit_callbacks
):
    endpoint_create(name="CRM", url=receiver.url)
    path = tmp_path / "deals.csv"
    path.write_text(HEADER_ROW + "1,Acme,Closed Won,lots,2026-03-20,2026-03-01,Nobody Known\n")
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import("deals", path, options=ImportOptions(preset="hubspot"))
    assert report.failed
    data = json.loads(receiver.posts[0].body)["data"]
    assert (data["ok"], data["created"], data["rejected"]) == (False, 0, 1)


def test_a_ledger_change_queues_the_scan_and_its_deliveries(
    web_org, receiver, django_capture_on_commit_callbacks
):
    from pacesetter.jobs.models import Job
    from pacesetter.ledger.signals import ledger_changed_on_commit

    endpoint_create(name="CRM", url=receiver.url, events=["goal.met"])
    with django_capture_on_commit_callbacks(execute=True):
        ledger_changed_on_commit(sender=None)
    assert {json.loads(p.body)["id"] for p in receiver.posts} == {
        f"goal.met:{web_org.alice_demos.pk}"
    }
    assert set(Job.objects.values_list("kind", "status")) == {
        ("webhooks", "done"),
        ("webhook", "done"),
    }


def test_without_endpoints_a_ledger_change_queues_nothing(
    web_org, django_capture_on_commit_callbacks
):
    from pacesetter.jobs.models import Job
    from pacesetter.ledger.signals import ledger_changed_on_commit

    with django_capture_on_commit_callbacks(execute=True):
        ledger_changed_on_commit(sender=None)
    assert not Job.objects.filter(kind__startswith="webhook").exists()
