"""``pacesetter notify [--today DAY] [--queue]``: announce what happened — goals at risk,
goals awaiting a check-in, rewards earned, collective goals met — as in-app notices, and
e-mail and chat them as each person chose. Run it from cron (say, every morning); running
it again tells nobody twice. ``--queue`` leaves the work to the worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pacesetter.jobs.services import job_enqueue
from pacesetter.notifications.scan import scan
from pacesetter.notifications.tasks import scan_task
from pacesetter.org.selectors import today_in_org


class Command(BaseCommand):
    help = "Announce goals at risk, check-ins awaited, rewards earned and collective goals met."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="pretend it is this day")
        parser.add_argument(
            "--queue", action="store_true",
            help="queue the scan for the worker (`pacesetter worker`) and return",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or today_in_org()
        if options["queue"]:
            job = job_enqueue(
                task=scan_task, kind="notifications", arguments={"today": today.isoformat()}
            )
            self.stdout.write(f"Queued as task #{job.pk}: `pacesetter worker` runs it.")
            return
        result = scan(today)
        made = result["created"]
        parts = ", ".join(f"{kind} {count}" for kind, count in made.items())
        self.stdout.write(f"Notifications for {today.isoformat()}: {parts}.")
