"""What goals tell the layers above them.

``goal_target_changed`` is sent once the transaction that changed goals' targets has
committed (``goals.targets.goal_set_target``: a hand edit, a plan's activation, a
waterfall, the workbook import), with ``changes``: a list of ``(goal id, version)`` pairs,
the version each change made (its ``GoalChange.version``). The changes of one transaction
go out together, in one send, so a plan activation that moves 2,000 goals costs a receiver
one batch, not 2,000. Receivers read the ``GoalChange`` rows back: a change undone by a
rolled-back savepoint has none. A failing receiver is logged and never undoes the change.
The notifications app listens (``NotificationsConfig.ready``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

goal_target_changed = Signal()
logger = logging.getLogger(__name__)


class _Batch:
    """The changes of one transaction, sent together when it commits."""

    def __init__(self) -> None:
        self.changes: list[tuple[int, int]] = []

    def __call__(self) -> None:
        results = goal_target_changed.send_robust(sender="goals", changes=list(self.changes))
        for receiver, result in results:
            if isinstance(result, Exception):
                logger.error(
                    "after goals changed, %s failed: %s", receiver, result, exc_info=result
                )


def goal_target_changed_on_commit(goal_id: int, version: int) -> None:
    """Announce that ``goal_id`` got a new target (its ``version``) once the transaction
    commits; changes made in the same transaction join one send."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Batch):
                callback.changes.append((goal_id, version))
                return
    batch = _Batch()
    batch.changes.append((goal_id, version))
    transaction.on_commit(batch)
