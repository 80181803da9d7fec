"""Syncs off the request path: ``sync_task`` (a ``jobs.runner.job_task``) runs one sync for
the worker; ``sync_enqueue`` queues it (once: a sync of the same CRM still waiting is that
sync)."""

from __future__ import annotations

from typing import Any

from pacesetter.integrations.sync import sync_run
from pacesetter.jobs.models import Job
from pacesetter.jobs.runner import job_task
from pacesetter.jobs.services import job_enqueue


@job_task
def sync_task(*, connector: str, full: bool = False, requested_by: str = "") -> dict[str, Any]:
    run = sync_run(connector, full=full, requested_by=requested_by)
    return {
        "run": run.pk,
        "status": run.status,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "rejected": run.rejected,
        "removed": run.removed,
    }


def sync_enqueue(*, connector: str, full: bool = False, user: Any = None, by: str = "") -> Job:
    """Queue a sync of ``connector`` for the worker (sent on commit)."""
    username = by or (getattr(user, "username", "") if user is not None else "")
    return job_enqueue(
        task=sync_task,
        kind="sync",
        arguments={"connector": connector, "full": full, "requested_by": username},
        requested_by=user,
        key=f"sync:{connector}",
    )
