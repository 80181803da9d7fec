"""Writes of jobs: queue one (``job_enqueue``), run a failed one again (``job_retry``), mark
failed the jobs of a worker that died (``jobs_orphans_fail``) and forget old ones
(``jobs_prune``).

A job is handed to the task backend once the transaction that queued it commits
(``transaction.on_commit``): a worker never looks for a job, or the data it needs, that is
not there yet, and work queued by a transaction that rolls back never runs.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from pacesetter.jobs.models import Job

logger = logging.getLogger(__name__)


class JobNotRetryable(Exception):
    """Only a failed job can be run again."""


def job_enqueue(
    *,
    task: Task[[int], None],
    kind: str,
    arguments: dict[str, Any] | None = None,
    requested_by: Any = None,  # a user (an anonymous one counts as none)
    key: str = "",
) -> Job:
    """Queue ``task`` (made with ``jobs.runner.job_task``) for a new job, sent to the backend
    on commit. With a ``key``, a job with that key still waiting to start is returned instead
    of a second one: the same work (say, the awards of one month) is not queued twice."""
    user = requested_by if requested_by is not None and requested_by.is_authenticated else None
    with transaction.atomic():
        if key:
            waiting = Job.objects.filter(key=key, status=Job.Status.QUEUED).first()
            if waiting is not None:
                return waiting
        job = Job.objects.create(
            kind=kind,
            task_path=task.module_path,
            arguments=arguments or {},
            key=key,
            requested_by=user,
            language=translation.get_language() or "",
        )
        transaction.on_commit(functools.partial(_send, job.pk, task), robust=True)
    return job


def job_retry(*, job: Job) -> Job:
    """Queue a failed job again, with its task and arguments (and the progress its result
    kept: a digest is not sent twice to the managers who had theirs)."""
    with transaction.atomic():
        again = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
            status=Job.Status.QUEUED,
            error="",
            traceback="",
            started_at=None,
            finished_at=None,
            created_at=timezone.now(),
        )
        if not again:
            raise JobNotRetryable(job.pk)
        task = import_string(job.task_path)
        transaction.on_commit(functools.partial(_send, job.pk, task), robust=True)
    job.refresh_from_db()
    return job


def _send(job_id: int, task: Task[[int], None]) -> None:
    """Hand the job to the backend (the immediate backend runs it here and now)."""
    try:
        sent = task.enqueue(job_id)
    except Exception as error:
        logger.exception("job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(sent.id)[:64])


def job_progress(*, job: Job, result: Any) -> None:
    """Keep a running job's progress as its result (kept if it fails and is run again)."""
    Job.objects.filter(pk=job.pk).update(result=result)
    job.result = result


def jobs_orphans_fail() -> int:
    """Mark failed the jobs left running by a worker process of this machine that is gone (it
    was killed, or the machine restarted): they can then be run again from the Tasks page.
    Returns how many. Called when a worker starts."""
    host = socket.gethostname()
    orphans = []
    running = Job.objects.filter(status=Job.Status.RUNNING, worker__startswith=f"{host}:")
    for pk, worker in running.values_list("pk", "worker"):
        pid = worker.rpartition(":")[2]
        if pid.isdigit() and not _alive(int(pid)):
            orphans.append(pk)
    return Job.objects.filter(pk__in=orphans, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED,
        error=ORPHANED,
        finished_at=timezone.now(),
    )


ORPHANED = "the worker running this task stopped before it finished (killed or restarted)"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def jobs_prune(*, keep_days: int) -> int:
    """Forget the jobs finished (done or failed) more than ``keep_days`` ago, and the task
    backend's results of that age. Returns the jobs deleted."""
    before = timezone.now() - dt.timedelta(days=keep_days)
    deleted, _by_model = Job.objects.filter(
        status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=before
    ).delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted
