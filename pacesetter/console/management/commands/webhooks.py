"""``pacesetter webhooks scan [--today DAY] [--queue]``: send webhook deliveries for goals met
or at risk, rewards earned and collective goals met (imports announce themselves). Run it
from cron (say, hourly); running it again sends nothing twice. ``--queue`` leaves the work
to the worker. ``pacesetter webhooks list``: the endpoints and their recent deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pacesetter.hooks.models import Delivery, Endpoint
from pacesetter.hooks.scan import scan
from pacesetter.hooks.tasks import scan_task
from pacesetter.jobs.services import job_enqueue
from pacesetter.org.selectors import today_in_org


class Command(BaseCommand):
    help = "Send webhooks for goals met or at risk, rewards earned, collective goals met."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("scan", help="look for events and send them")
        run.add_argument("--today", type=dt.date.fromisoformat, help="pretend it is this day")
        run.add_argument(
            "--queue", action="store_true",
            help="queue the scan for the worker (`pacesetter worker`) and return",
        )  # fmt: skip
        sub.add_parser("list", help="the endpoints and their last deliveries")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        today = options["today"] or today_in_org()
        if options["queue"]:
            job = job_enqueue(
                task=scan_task, kind="webhooks", arguments={"today": today.isoformat()}
            )
            self.stdout.write(f"Queued as task #{job.pk}: `pacesetter worker` runs it.")
            return
        result = scan(today)
        self.stdout.write(f"Webhooks for {today.isoformat()}: {result['deliveries']} new.")

    def _list(self) -> None:
        for endpoint in Endpoint.objects.all():
            state = "on" if endpoint.enabled else "off"
            events = ", ".join(endpoint.events) or "every event"
            self.stdout.write(f"{endpoint.pk}  {endpoint.name}  {endpoint.url}  {state}  {events}")
        for d in Delivery.objects.select_related("endpoint")[:20]:
            self.stdout.write(
                f"  {d.created_at:%Y-%m-%d %H:%M:%S}  {d.endpoint.name}  {d.event_type}  "
                f"{d.status}  attempts {d.attempts}  {d.last_status_code or ''} {d.last_error}"
            )
