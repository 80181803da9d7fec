"""What webhooks hear from the layers below (connected in ``HooksConfig.ready``):

* ``ledger.signals.ledger_changed``: numbers moved, so goals may be met or at risk: the scan
  is queued (one waiting scan at a time);
* ``ledger.signals.import_finished``: an import ran: "import.finished" is sent.
"""

from __future__ import annotations

import uuid
from typing import Any

from pacesetter.hooks import events
from pacesetter.hooks.models import Endpoint
from pacesetter.hooks.services import emit


def scan_after_ledger_change(sender: Any, **kwargs: Any) -> None:
    if not Endpoint.objects.filter(enabled=True).exists():
        return
    from pacesetter.hooks.tasks import scan_task
    from pacesetter.jobs.services import job_enqueue
    from pacesetter.org.selectors import today_in_org

    job_enqueue(
        task=scan_task,
        kind="webhooks",
        arguments={"today": today_in_org().isoformat()},
        key="webhooks-scan",
    )


def announce_import(sender: Any, report: Any, **kwargs: Any) -> None:
    emit([events.import_finished(report, f"import.finished:{uuid.uuid4()}")])
