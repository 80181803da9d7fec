"""Jobs: queued on commit, run once, failures kept with their error and run again on
request; the same waiting work is not queued twice; ``pacesetter worker`` runs the database
backend's queue and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from pacesetter.jobs.models import Job
from pacesetter.jobs.runner import job_task
from pacesetter.jobs.services import JobNotRetryable, job_enqueue, job_retry

RUNS: list[str] = []
DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@job_task
def remember(*, word: str) -> dict:
    RUNS.append(word)
    return {"said": word}


@job_task
def fails_once(*, word: str) -> dict:
    RUNS.append(word)
    if RUNS.count(word) == 1:
        raise ValueError(f"no {word} yet")
    return {"said": word}


@pytest.fixture(autouse=True)
def _clean_runs():
    RUNS.clear()


def test_a_job_runs_once_its_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(task=remember, kind="test", arguments={"word": "hello"})
        assert RUNS == []  # not before the commit
    job.refresh_from_db()
    assert (job.status, job.result, job.attempts, RUNS) == ("done", {"said": "hello"}, 1, ["hello"])
    assert job.task_id and job.started_at and job.finished_at

    remember.call(job.pk)  # delivered twice: the job is done, nothing runs again
    assert RUNS == ["hello"]


def test_work_queued_by_a_transaction_that_rolls_back_never_runs(
    db, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job_enqueue(task=remember, kind="test", arguments={"word": "lost"})
        raise RuntimeError
    assert RUNS == [] and not Job.objects.exists()


def test_a_failed_job_keeps_its_error_and_runs_again_on_request(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(task=fails_once, kind="test", arguments={"word": "sun"})
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "ValueError: no sun yet")
    assert "Traceback" in job.traceback

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.result, job.attempts, job.error) == ("done", {"said": "sun"}, 2, "")
    with pytest.raises(JobNotRetryable):
        job_retry(job=job)  # only a failed job


def test_the_same_waiting_work_is_queued_once(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        first = job_enqueue(task=remember, kind="test", arguments={"word": "a"}, key="k")
        again = job_enqueue(task=remember, kind="test", arguments={"word": "a"}, key="k")
        other = job_enqueue(task=remember, kind="test", arguments={"word": "b"}, key="k2")
    assert first.pk == again.pk != other.pk
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
    assert job_enqueue(task=remember, kind="test", key="k").pk != first.pk  # not waiting now


def test_the_worker_runs_the_queued_jobs_of_the_database_backend(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_BACKEND
    # Between tasks the worker closes stale connections: not the test's own (its transaction).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(task=remember, kind="test", arguments={"word": "queued"})
    job.refresh_from_db()
    assert job.status == "queued" and RUNS == []
    assert DBTaskResult.objects.get().status == "READY"

    call_command("worker", "--batch", stdout=StringIO())
    job.refresh_from_db()
    assert (job.status, RUNS) == ("done", ["queued"])
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_worker_needs_the_database_backend(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no worker needed"):
        call_command("worker", "--batch", stdout=StringIO())


@pytest.mark.server
def test_the_worker_stops_cleanly_on_sigterm(tmp_path: Path):
    """As `make run` and a service manager stop it: SIGTERM, exit status 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACESETTER_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PACESETTER_VAR_DIR"] = str(tmp_path)
    pacesetter = str(Path(sys.executable).parent / "pacesetter")
    subprocess.run([pacesetter, "migrate", "--noinput"], env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    worker = subprocess.Popen(
        [pacesetter, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        assert "running queued tasks" in worker.stdout.readline()
        time.sleep(0.5)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:
        worker.kill()
    assert "Worker stopped." in worker.stdout.read()


# --- what a worker tidies when it starts ------------------------------------------------------


def _gone_pid() -> int:
    """The id of a process that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(ended.stdout)


@pytest.mark.django_db
def test_a_job_left_running_by_a_killed_worker_is_failed_and_can_run_again(
    django_capture_on_commit_callbacks,
):
    import socket

    from pacesetter.jobs.runner import this_worker
    from pacesetter.jobs.services import ORPHANED, jobs_orphans_fail

    host = socket.gethostname()
    killed = Job.objects.create(kind="import", task_path=f"{__name__}.remember",
                                arguments={"word": "again"}, status=Job.Status.RUNNING,
                                worker=f"{host}:{_gone_pid()}")  # fmt: skip
    alive = Job.objects.create(kind="import", task_path="x", status=Job.Status.RUNNING,
                               worker=this_worker())  # fmt: skip
    elsewhere = Job.objects.create(kind="import", task_path="x", status=Job.Status.RUNNING,
                                   worker="another-host:1")  # fmt: skip

    assert jobs_orphans_fail() == 1

    killed.refresh_from_db()
    assert (killed.status, killed.error) == (Job.Status.FAILED, ORPHANED)
    assert set(
        Job.objects.filter(pk__in=[alive.pk, elsewhere.pk]).values_list("status", flat=True)
    ) == {Job.Status.RUNNING}
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=killed)  # the Tasks page's "run again"
    killed.refresh_from_db()
    assert (killed.status, killed.result) == (Job.Status.DONE, {"said": "again"})
    assert killed.worker == this_worker()


@pytest.mark.django_db
def test_finished_jobs_older_than_the_days_kept_are_forgotten():
    import datetime as dt

    from django.utils import timezone

    from pacesetter.jobs.services import jobs_prune

    now = timezone.now()
    old = Job.objects.create(kind="a", task_path="x", status=Job.Status.DONE,
                             finished_at=now - dt.timedelta(days=40))  # fmt: skip
    old_failed = Job.objects.create(kind="a", task_path="x", status=Job.Status.FAILED,
                                    finished_at=now - dt.timedelta(days=31))  # fmt: skip
    recent = Job.objects.create(kind="a", task_path="x", status=Job.Status.DONE,
                                finished_at=now - dt.timedelta(days=10))  # fmt: skip
    waiting = Job.objects.create(kind="a", task_path="x", created_at=now - dt.timedelta(days=90))

    assert jobs_prune(keep_days=30) == 2

    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Job.objects.filter(pk__in=[old.pk, old_failed.pk]).exists()
