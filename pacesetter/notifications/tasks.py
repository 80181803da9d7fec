"""The notifications' work off the request path (run by ``pacesetter worker``): delivering
notices by e-mail and chat, and the periodic scan for events (``pacesetter notify --queue``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from pacesetter.jobs.runner import job_task
from pacesetter.notifications.delivery import Posting, deliver


@job_task
def deliver_task(*, ids: list[int]) -> dict[str, Any]:
    backoff = float(getattr(settings, "NOTIFICATION_RETRY_BACKOFF", 1.0))
    return deliver(ids, Posting(backoff=backoff))


@job_task
def scan_task(*, today: str) -> dict[str, Any]:
    from pacesetter.notifications.scan import scan

    return scan(dt.date.fromisoformat(today))
