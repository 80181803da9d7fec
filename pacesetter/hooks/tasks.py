"""The webhooks' work off the request path (run by ``pacesetter worker``): one attempt of a
delivery (the next one queued with its back-off when it fails), and the scan for events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pacesetter.hooks.delivery import attempt
from pacesetter.hooks.models import Delivery
from pacesetter.jobs.runner import job_task

WAITING = (Delivery.Status.PENDING, Delivery.Status.RETRYING)
SWITCHED_OFF = "the endpoint was switched off"


@job_task
def deliver_task(*, deliveries: list[int]) -> dict[str, Any]:
    """One attempt of each delivery still waiting; those to be tried again are queued again,
    each after its own back-off."""
    from pacesetter.hooks.services import queue_attempt

    waiting = Delivery.objects.select_related("endpoint").filter(
        pk__in=deliveries, status__in=WAITING
    )
    results = []
    for found in waiting:
        if not found.endpoint.enabled:
            Delivery.objects.filter(pk=found.pk).update(
                status=Delivery.Status.FAILED, last_error=SWITCHED_OFF, next_attempt_at=None
            )
            results.append({"delivery": found.pk, "status": Delivery.Status.FAILED})
            continue
        outcome = attempt(found)
        if found.status == Delivery.Status.RETRYING:
            queue_attempt([found])
        results.append(
            {"delivery": found.pk, "status": found.status, "attempt": found.attempts,
             "status_code": outcome.status_code, "error": outcome.error}
        )  # fmt: skip
    return {"deliveries": results}


@job_task
def scan_task(*, today: str) -> dict[str, Any]:
    from pacesetter.hooks.scan import scan

    return scan(dt.date.fromisoformat(today))
