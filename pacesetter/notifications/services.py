"""Writes of notifications: announce events (``notify``), mark them read, keep a person's
choices. Delivery by e-mail and chat is queued on commit (``tasks.deliver_task``) and never
runs in the request that caused the event (unless tasks run immediately, and then its
failures are caught and recorded, never raised)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from pacesetter.notifications.kinds import Choice, chat_configured
from pacesetter.notifications.models import Delivery, Kind, Notification, NotificationPreference
from pacesetter.notifications.selectors import choices_of


@dataclass(frozen=True)
class Event:
    """Something one person may want to know, named by ``key`` (the same event, the same key)."""

    recipient_id: int
    kind: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""


def notify(events: Iterable[Event], *, now: dt.datetime | None = None) -> list[Notification]:
    """Record the events not recorded yet, each as its recipient chose, and queue their
    e-mails and chat messages. Idempotent: an event already recorded for its recipient
    (the same key) is left alone. Returns the new notices. A fixed number of queries for
    any number of events: the choices, the keys already there, the insert, the read back."""
    wanted = {(e.recipient_id, e.key): e for e in events}
    if not wanted:
        return []
    people = {pid for pid, _key in wanted}
    keys = {key for _pid, key in wanted}
    with transaction.atomic():
        there = set(
            Notification.objects.filter(recipient_id__in=people, key__in=keys).values_list(
                "recipient_id", "key"
            )
        )
        fresh = [e for k, e in wanted.items() if k not in there]
        if not fresh:
            return []
        chosen = choices_of({e.recipient_id for e in fresh})
        when = now or timezone.now()
        maybe = [_row(e, chosen[(e.recipient_id, e.kind)], when) for e in fresh]
        rows = [r for r in maybe if r is not None]
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                recipient_id__in={r.recipient_id for r in rows},
                key__in={r.key for r in rows},
                created_at=when,
            ).order_by("pk")
        )
        _queue_delivery(created)
    return created


def _row(event: Event, choice: Choice, when: dt.datetime) -> Notification | None:
    chat = choice.chat and chat_configured()
    if not (choice.in_app or choice.email or chat):
        return None  # nothing wanted: not even recorded
    return Notification(
        recipient_id=event.recipient_id,
        kind=event.kind,
        params=event.params,
        url=event.url,
        key=event.key,
        created_at=when,
        in_app=choice.in_app,
        email_status=Delivery.PENDING if choice.email else Delivery.NONE,
        chat_status=Delivery.PENDING if chat else Delivery.NONE,
    )


def _queue_delivery(created: list[Notification]) -> None:
    ids = [n.pk for n in created if Delivery.PENDING in (n.email_status, n.chat_status)]
    if not ids:
        return
    from pacesetter.jobs.services import job_enqueue
    from pacesetter.notifications.tasks import deliver_task

    job_enqueue(task=deliver_task, kind="notifications", arguments={"ids": ids})


def mark_read(*, person_id: int, ids: Iterable[int]) -> int:
    """Mark these of the person's notices read (others' ids are ignored); how many."""
    return Notification.objects.filter(
        recipient_id=person_id, pk__in=list(ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def mark_all_read(*, person_id: int) -> int:
    """Mark all of the person's unread notices read; how many."""
    return Notification.objects.filter(recipient_id=person_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_save(*, person_id: int, choices: Mapping[str, Choice]) -> None:
    """Keep a person's choice for each kind given (unknown kinds are refused)."""
    unknown = set(choices) - set(Kind.values)
    if unknown:
        raise ValueError(f"unknown notification kinds: {sorted(unknown)}")
    with transaction.atomic():
        for kind, choice in choices.items():
            NotificationPreference.objects.update_or_create(
                person_id=person_id,
                kind=kind,
                defaults={"in_app": choice.in_app, "email": choice.email, "chat": choice.chat},
            )
