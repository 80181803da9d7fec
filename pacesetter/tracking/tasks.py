"""The digest off the request path: ``pacesetter digest --send --queue`` queues it and the
worker sends it (``pacesetter digest --send`` alone still sends at once).

Idempotent: the managers already sent to are kept in the job's result as they go, so a job
run again after a failure (say, the mail server was down half-way) writes only to the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pacesetter.jobs.models import Job
from pacesetter.jobs.runner import job_task
from pacesetter.jobs.services import job_progress
from pacesetter.org.models import Person
from pacesetter.tracking.digest import build_digests, send_digests


@job_task
def send_digests_task(*, today: str, manager_ids: list[int] | None, job: Job) -> dict[str, Any]:
    done: list[int] = list((job.result or {}).get("sent", []))
    managers = None if manager_ids is None else list(Person.objects.filter(pk__in=manager_ids))
    for digest in build_digests(dt.date.fromisoformat(today), managers):
        if digest.manager.pk in done:
            continue
        send_digests([digest])
        done.append(digest.manager.pk)
        job_progress(job=job, result={"sent": done})
    return {"sent": done}
