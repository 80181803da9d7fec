"""/sync/: admins see the CRM connectors and their runs and can queue a sync; nobody else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.integrations.models import SyncRun
from pacesetter.jobs.models import Job


def login(person) -> Client:
    client = Client()
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("who", ["alice", "manager", "regional_manager"])
def test_reps_and_managers_are_refused(small_org, who):
    client = login(getattr(small_org, who))
    assert client.get(reverse("sync")).status_code == 403
    response = client.post(reverse("sync_now", args=["hubspot"]))
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(small_org):
    response = Client().get(reverse("sync"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_admins_see_the_runs_without_the_secrets(
    small_org, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setenv("PACESETTER_HUBSPOT_TOKEN", "pat-na1-very-secret")
    SyncRun.objects.create(
        connector="hubspot", status=SyncRun.Status.PARTIAL, created=12, rejected=1,
        error_count=1, cursor_after={"deals": "2026-11-17T16:02:03+00:00"},
        errors=[{"object": "deals", "row": 3, "column": "hubspot_owner_id",
                 "value": "77700001", "reason": "matches nobody"}],
        unmatched_owners=[{"id": "77700001", "name": "Dora Diaz", "rows": 1}],
    )  # fmt: skip
    client = login(small_org.admin)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("sync"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "pat-na1-very-secret" not in html
    assert "2026-11-17T16:02:03+00:00" in html and "Dora Diaz" in html
    assert html.count("Sync now") == 1  # only HubSpot is set up
    assert reverse("sync") in html  # the navigation's link


def test_sync_now_queues_one_sync_for_the_worker(small_org, monkeypatch, settings):
    monkeypatch.setenv("PACESETTER_HUBSPOT_TOKEN", "pat-na1-very-secret")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = login(small_org.admin)
    for _ in range(2):
        response = client.post(reverse("sync_now", args=["hubspot"]), {"full": "1"})
        assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.key, job.status) == ("sync", "sync:hubspot", Job.Status.QUEUED)
    assert job.arguments == {"connector": "hubspot", "full": True, "requested_by": "olga"}


def test_a_crm_not_set_up_is_not_synced(small_org):
    client = login(small_org.admin)
    response = client.post(reverse("sync_now", args=["pipedrive"]), follow=True)
    assert response.status_code == 200 and not Job.objects.exists()
    assert client.post(reverse("sync_now", args=["nosuchcrm"])).status_code == 404
