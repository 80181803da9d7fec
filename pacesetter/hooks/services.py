"""Writes of webhooks: make an endpoint (its secret returned once), switch it on or off, and
record events as deliveries, each sent by a task (``tasks.deliver_task``) queued on commit."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from pacesetter.hooks.models import Delivery, Endpoint, EventType


@dataclass(frozen=True)
class HookEvent:
    """Something that happened, for the endpoints that want its ``type``. ``key`` names it
    (the same event, the same key: sent once); ``data`` is its JSON payload."""

    type: str
    key: str
    data: dict[str, Any] = field(default_factory=dict)


def endpoint_create(
    *, name: str, url: str, events: Iterable[str] = (), created_by: Any = None
) -> tuple[Endpoint, str]:
    """A new endpoint and its signing secret: the only time the secret is handed out."""
    chosen = sorted(set(events))
    unknown = set(chosen) - set(EventType.values)
    if unknown:
        raise ValueError(f"unknown webhook events: {sorted(unknown)}")
    secret = "whsec_" + secrets.token_urlsafe(32)
    user = created_by if created_by is not None and created_by.is_authenticated else None
    endpoint = Endpoint.objects.create(
        name=name, url=url, events=chosen, secret=secret, created_by=user
    )
    return endpoint, secret


def endpoint_set_enabled(*, endpoint: Endpoint, enabled: bool) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=enabled)
    endpoint.enabled = enabled


def _body(event: HookEvent, when: dt.datetime) -> str:
    envelope = {
        "id": event.key,
        "type": event.type,
        "created_at": when.isoformat(),
        "data": event.data,
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), default=str)


def emit(events: Iterable[HookEvent], *, now: dt.datetime | None = None) -> list[Delivery]:
    """Record each event once for each enabled endpoint that wants it, and queue the sending.
    Idempotent (an event already recorded for an endpoint is left alone). A fixed number of
    queries for any number of events (one job sends them all)."""
    wanted = {e.key: e for e in events}
    endpoints = list(Endpoint.objects.filter(enabled=True)) if wanted else []
    if not endpoints:
        return []
    when = now or timezone.now()
    with transaction.atomic():
        there = set(
            Delivery.objects.filter(endpoint__in=endpoints, event_key__in=list(wanted)).values_list(
                "endpoint_id", "event_key"
            )
        )
        fresh = [
            Delivery(
                endpoint=endpoint,
                event_type=e.type,
                event_key=e.key,
                body=_body(e, when),
                created_at=when,
            )
            for e in wanted.values()
            for endpoint in endpoints
            if endpoint.wants(e.type) and (endpoint.pk, e.key) not in there
        ]
        created = Delivery.objects.bulk_create(fresh)
        queue_attempt(created)
    return created


def queue_attempt(deliveries: list[Delivery]) -> None:
    """Queue one task for the deliveries' next attempts: at their ``next_attempt_at`` on a
    backend that can wait (the worker's database backend), at once on one that cannot
    (tasks run immediately)."""
    from pacesetter.hooks.tasks import deliver_task
    from pacesetter.jobs.services import job_enqueue

    if not deliveries:
        return
    task = deliver_task
    when = max((d.next_attempt_at for d in deliveries if d.next_attempt_at), default=None)
    if when is not None and task_backends[DEFAULT_TASK_BACKEND_ALIAS].supports_defer:
        task = deliver_task.using(run_after=when)
    job_enqueue(task=task, kind="webhook", arguments={"deliveries": [d.pk for d in deliveries]})
