"""What the ledger tells the rest of Pacesetter.

``ledger_changed`` is sent once a transaction that added or changed ledger rows (an import,
a week's numbers typed in) has committed, so that what is derived from the ledger — earned
rewards — follows the data without a nightly batch. Receivers get ``months``: the first
days of the months whose numbers may have moved (``None``: not known, assume recent ones).
A failing receiver is logged and never undoes the change that was committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

ledger_changed = Signal()
logger = logging.getLogger(__name__)


def ledger_changed_on_commit(sender: object, months: Iterable[dt.date] | None = None) -> None:
    """Send ``ledger_changed`` after the current transaction commits (now, outside one)."""
    chosen = None if months is None else sorted(set(months))

    def send() -> None:
        for receiver, result in ledger_changed.send_robust(sender=sender, months=chosen):
            if isinstance(result, Exception):
                logger.error(
                    "after a ledger change, %s failed: %s", receiver, result, exc_info=result
                )

    transaction.on_commit(send)


# ``import_finished`` is sent once an import that was not a dry run has finished, with
# ``report`` (the ``ImportReport``): after its transaction commits, or at once when bad input
# stopped it (``report.failed``: nothing was written). Webhooks announce it (``hooks``).
import_finished = Signal()


def import_finished_on_commit(sender: object, report: object, *, now: bool = False) -> None:
    """Send ``import_finished`` after the current transaction commits (``now``: at once)."""

    def send() -> None:
        for receiver, result in import_finished.send_robust(sender=sender, report=report):
            if isinstance(result, Exception):
                logger.error("after an import, %s failed: %s", receiver, result, exc_info=result)

    if now:
        send()
    else:
        transaction.on_commit(send)
