"""The ledger's work off the request path: tasks (``jobs.runner.job_task``) that
``pacesetter worker`` runs.

- ``recount_rollups``: after the org's time zone changed (``org.signals.time_zone_changed``,
  sent by the org-settings admin), the monthly rollups are recounted in the new zone's
  months, one short transaction per group of people (``rollups.rebuild_in_steps``).
- ``import_staged``: an upload the web staged and an admin chose to "Import now". The report
  is the job's result; the staged file goes once it has one (a job that failed keeps it, so
  that it can be run again; the imports page sweeps it a day later).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pacesetter.jobs.models import Job
from pacesetter.jobs.runner import job_task
from pacesetter.jobs.services import job_enqueue
from pacesetter.ledger.import_jobs import import_upload, report_as_json
from pacesetter.ledger.rollups import rebuild_in_steps


@job_task
def recount_rollups() -> dict[str, Any]:
    started = time.perf_counter()
    people = rebuild_in_steps()
    return {"people": people, "seconds": round(time.perf_counter() - started, 1)}


@job_task
def import_staged(
    *, path: str, name: str, kind: str, options: dict[str, Any], user_id: int | None
) -> dict[str, Any]:
    staged = Path(path)
    report, errors_csv = import_upload(kind, staged, options, user_id=user_id, dry_run=False)
    staged.unlink(missing_ok=True)
    if report is None:
        return {"report": None, "errors_csv": ""}
    report.file = name
    return {"report": report_as_json(report), "errors_csv": errors_csv}


def recount_in_new_time_zone(sender: object, user: Any = None, **kwargs: object) -> Job:
    """Receiver of ``org.signals.time_zone_changed``: months moved, so recount them all, in
    the background (the admin's page answers at once and says where to follow it)."""
    return job_enqueue(task=recount_rollups, kind="rollups", requested_by=user, key="rollups")
