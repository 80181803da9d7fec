"""``job_task``: a function of the apps made into a task that runs for a ``Job``.

The task's only argument is the job's id; the function gets the job's ``arguments`` as
keywords (and the ``job`` itself when it takes one, to keep its progress in ``job.result``:
a retry keeps it) and returns what the job keeps as its result (JSON). Idempotent: a job that is not
queued any more (done, failed, or being run by another worker) is left alone, so a task
delivered twice runs once. The function runs in the language of the person who started it,
so the messages it makes (an import's notes) read as they would have in the request.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import socket
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import Task

from pacesetter.jobs.models import Job

logger = logging.getLogger(__name__)
ERROR_SHOWN = 500  # characters of an error message kept for people


def job_task(function: Callable[..., Any]) -> Task[[int], None]:
    """Decorate a module-level function: ``@job_task def recount(): …``."""

    wants_job = "job" in inspect.signature(function).parameters

    @functools.wraps(function)
    def run(job_id: int) -> None:
        job = _claim(job_id)
        if job is None:
            logger.info("job %s is not queued (done, failed or running): skipped", job_id)
            return
        extra = {"job": job} if wants_job else {}
        try:
            with translation.override(job.language or settings.LANGUAGE_CODE):
                result = function(**job.arguments, **extra)
        except BaseException as error:  # an interrupted job (SystemExit) is failed too
            _finish(job_id, error=error)
            raise
        _finish(job_id, result=result)

    return task()(run)


def this_worker() -> str:
    """The process running a job, as ``host:pid`` (``jobs_orphans_fail`` reads it)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(job_id: int) -> Job | None:
    """Mark a queued job running, in one statement (so only one worker gets it)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        worker=this_worker(),
        finished_at=None,
        attempts=F("attempts") + 1,
    )
    return Job.objects.get(pk=job_id) if claimed else None


def _finish(job_id: int, *, result: Any = None, error: BaseException | None = None) -> None:
    if error is None:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE, result=result, finished_at=timezone.now()
        )
        return
    message = f"{type(error).__name__}: {error}".strip().rstrip(":")
    if len(message) > ERROR_SHOWN:
        message = message[: ERROR_SHOWN - 1] + "…"
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED,
        error=message,
        traceback="".join(traceback.format_exception(error)),
        finished_at=timezone.now(),
    )
