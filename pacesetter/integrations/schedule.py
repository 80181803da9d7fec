"""Syncs on a schedule: every ``PACESETTER_SYNC_EVERY_MINUTES`` (0, the default: never),
each CRM whose credentials are set is synced, by the worker.

``syncs_enqueue_due`` queues the syncs that are due: a configured CRM with no sync started
in the last interval and none waiting or running. ``pacesetter worker`` checks once a
minute, in a thread beside its loop (``start_schedule``); without a worker, a cron line
running ``pacesetter sync --due`` does the same.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import close_old_connections, connection
from django.utils import timezone

from pacesetter import config
from pacesetter.integrations.connectors import CONNECTORS, NotConfigured, connector_for
from pacesetter.integrations.models import SyncRun
from pacesetter.integrations.tasks import sync_enqueue
from pacesetter.jobs.models import Job

logger = logging.getLogger(__name__)
CHECK_SECONDS = 60


def every_minutes() -> int:
    return max(config.env_int("SYNC_EVERY_MINUTES", 0), 0)


def configured() -> list[str]:
    """The CRMs whose credentials are set."""
    found = []
    for name in CONNECTORS:
        try:
            connector_for(name).close()
        except NotConfigured:
            continue
        found.append(name)
    return found


def syncs_due(now: dt.datetime | None = None, minutes: int | None = None) -> list[str]:
    minutes = every_minutes() if minutes is None else minutes
    if minutes <= 0:
        return []
    now = now or timezone.now()
    due = []
    for name in configured():
        busy = Job.objects.filter(
            key=f"sync:{name}", status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
        ).exists()
        recent = SyncRun.objects.filter(
            connector=name, dry_run=False, started__gt=now - dt.timedelta(minutes=minutes)
        ).exists()
        if not busy and not recent:
            due.append(name)
    return due


def syncs_enqueue_due(now: dt.datetime | None = None) -> list[Job]:
    """Queue the syncs that are due (see the module docstring)."""
    return [sync_enqueue(connector=name, by="schedule") for name in syncs_due(now)]


def start_schedule(stop: threading.Event | None = None) -> threading.Thread | None:
    """In the worker: check once a minute for due syncs, in a daemon thread (None when no
    schedule is set)."""
    if every_minutes() <= 0:
        return None
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                queued = syncs_enqueue_due()
                if queued:
                    logger.info("queued %s scheduled CRM sync(s)", len(queued))
            except Exception:  # a bad moment (a locked database) must not end the schedule
                logger.exception("the CRM sync schedule could not queue its syncs")
            finally:
                close_old_connections()
                connection.close()
            stop.wait(CHECK_SECONDS)

    thread = threading.Thread(target=loop, name="crm-sync-schedule", daemon=True)
    thread.start()
    return thread
