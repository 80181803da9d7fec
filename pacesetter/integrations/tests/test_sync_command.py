"""``pacesetter sync``, the worker's task and the schedule, against the recorded HubSpot."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from pacesetter.conftest import run_command
from pacesetter.integrations.models import SyncRun
from pacesetter.integrations.schedule import syncs_due, syncs_enqueue_due
from pacesetter.integrations.tasks import sync_enqueue
from pacesetter.integrations.tests.test_hubspot import record_full
from pacesetter.jobs.models import Job
from pacesetter.ledger.models import Deal

TOKEN = "pat-na1-0000-very-secret"


@pytest.fixture
def hubspot_env(api, monkeypatch):
    record_full(api)
    monkeypatch.setenv("PACESETTER_HUBSPOT_URL", api.url)
    monkeypatch.setenv("PACESETTER_HUBSPOT_TOKEN", TOKEN)
    return api


def test_the_command_syncs_and_says_what_it_did(crm_people, hubspot_env, caplog):
    caplog.set_level(logging.DEBUG)
    out = run_command("sync hubspot")
    assert "Synced hubspot: 12 created, 0 updated, 0 unchanged, 0 refused, 0 removed" in out
    assert "deals: changes read up to 2026-11-06T14:46:30.447000+00:00" in out
    assert Deal.objects.count() == 4
    out = run_command("sync hubspot --full --dry-run")
    assert "Checked (dry run) hubspot: 0 created, 0 updated, 12 unchanged" in out
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in hubspot_env.requests)
    assert TOKEN not in caplog.text and TOKEN not in out
    assert list(SyncRun.objects.values_list("requested_by", "full", "dry_run")) == [
        ("command line", True, True),
        ("command line", False, False),
    ]


def test_a_crm_without_credentials_is_named_not_synced(small_org, monkeypatch):
    monkeypatch.delenv("PACESETTER_PIPEDRIVE_TOKEN", raising=False)
    with pytest.raises(CommandError, match="set PACESETTER_PIPEDRIVE_TOKEN"):
        run_command("sync pipedrive")
    assert not SyncRun.objects.exists()


def test_a_failed_sync_exits_with_an_error(crm_people, hubspot_env):
    hubspot_env.routes[("GET", "/crm/v3/pipelines/deals")] = []
    hubspot_env.add("GET", "/crm/v3/pipelines/deals", "hubspot/unauthorized.json", status=401)
    with pytest.raises(CommandError, match="the hubspot sync failed"):
        run_command("sync hubspot")
    assert SyncRun.objects.get().status == SyncRun.Status.FAILED


def test_the_worker_runs_a_queued_sync_as_a_task(
    crm_people, hubspot_env, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the test backend runs it then
        job = sync_enqueue(connector="hubspot", by="olga")
    job.refresh_from_db()
    run = SyncRun.objects.get()
    assert job.status == Job.Status.DONE, job.error
    assert job.result == {"run": run.pk, "status": "done", "created": 12, "updated": 0,
                          "unchanged": 0, "rejected": 0, "removed": 0}  # fmt: skip
    assert run.requested_by == "olga"


def test_the_schedule_queues_each_set_up_crm_once_per_interval(
    crm_people, hubspot_env, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert syncs_due() == []  # no PACESETTER_SYNC_EVERY_MINUTES: no schedule
    monkeypatch.setenv("PACESETTER_SYNC_EVERY_MINUTES", "30")
    assert syncs_due() == ["hubspot"]  # Pipedrive and Salesforce are not set up
    (job,) = syncs_enqueue_due()
    assert job.arguments == {"connector": "hubspot", "full": False, "requested_by": "schedule"}
    assert syncs_due() == []  # queued: not twice
    Job.objects.update(status=Job.Status.DONE)
    SyncRun.objects.create(connector="hubspot", started=timezone.now() - dt.timedelta(minutes=10))
    assert syncs_due() == []
    assert syncs_due(now=timezone.now() + dt.timedelta(minutes=21)) == ["hubspot"]
    out = run_command("sync --due")
    assert out.strip() == "Queued 0 sync(s): none due."
