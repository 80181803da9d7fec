"""Sending a delivery: one signed POST per attempt (stdlib ``urllib``, a timeout), logged as
an ``Attempt``. A 2xx answer delivers it; anything else (another status, a refused
connection, a timeout) is tried again after an exponential back-off — 1, 2, 4, 8 … minutes
(``HOOKS_RETRY_BASE_SECONDS``) — as a task the worker runs then, up to ``MAX_ATTEMPTS``; then
the delivery has failed (an admin sees why on /webhooks/ and in the admin)."""

from __future__ import annotations

import datetime as dt
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from pacesetter.hooks.models import Attempt, Delivery
from pacesetter.hooks.signing import HEADER, signature

MAX_ATTEMPTS = 6
TIMEOUT = 10  # seconds for each POST
ERROR_KEPT = 500


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base × 2^(attempts − 1)."""
    base = float(getattr(settings, "HOOKS_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def post(delivery: Delivery) -> Outcome:
    """POST the delivery's body to its endpoint, signed now."""
    body = delivery.body.encode()
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Pacesetter-Webhooks/1",
            "X-Pacesetter-Event": delivery.event_type,
            "X-Pacesetter-Delivery": str(delivery.pk),
            HEADER: signature(delivery.endpoint.secret, int(time.time()), body),
        },
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            code, error = response.status, ""
    except urllib.error.HTTPError as answer:
        code, error = answer.code, f"HTTP {answer.code} {answer.reason}"
    except (urllib.error.URLError, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        code, error = None, f"{type(failure).__name__}: {reason}"
    elapsed = int((time.monotonic() - started) * 1000)
    return Outcome(code, error[:ERROR_KEPT], elapsed)


def attempt(delivery: Delivery) -> Outcome:
    """One attempt, logged; the delivery's status after it (retry time included)."""
    outcome = post(delivery)
    number = delivery.attempts + 1
    now = timezone.now()
    Attempt.objects.create(
        delivery=delivery,
        number=number,
        at=now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    delivery.attempts = number
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Delivery.Status.DELIVERED, now, None
        )  # fmt: skip
    elif number >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        delivery.status = Delivery.Status.RETRYING
        delivery.next_attempt_at = now + backoff(number)
    delivery.save(
        update_fields=[
            "attempts", "last_status_code", "last_error", "status", "delivered_at",
            "next_attempt_at",
        ]
    )  # fmt: skip
    return outcome
