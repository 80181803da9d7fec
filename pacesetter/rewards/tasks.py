"""The rewards' work off the request path (run by ``pacesetter worker``): the awards of the
months a ledger change may have moved (``receivers.recompute_awards`` queues it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pacesetter.jobs.runner import job_task
from pacesetter.rewards import receivers


@job_task
def recompute_awards_task(*, months: list[str] | None) -> dict[str, Any]:
    chosen = None if months is None else [dt.date.fromisoformat(m) for m in months]
    return {"months": receivers.awards_follow_ledger(chosen)}
