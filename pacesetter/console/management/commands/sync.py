"""``pacesetter sync``: read a CRM's changes through its API into the ledger.

pacesetter sync hubspot                 what changed since the last sync
pacesetter sync pipedrive --full        everything again (re-reading changes nothing)
pacesetter sync salesforce --dry-run    check, write nothing, move no cursor
pacesetter sync --due                   queue the syncs PACESETTER_SYNC_EVERY_MINUTES makes due

Credentials come from PACESETTER_HUBSPOT_TOKEN, PACESETTER_PIPEDRIVE_TOKEN and
PACESETTER_SALESFORCE_CLIENT_ID/_CLIENT_SECRET/_REFRESH_TOKEN (see
``pacesetter.integrations``). The run is recorded and shown to admins on /sync/.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from pacesetter.integrations.connectors import CONNECTORS, NotConfigured
from pacesetter.integrations.models import SyncRun
from pacesetter.integrations.schedule import every_minutes, syncs_enqueue_due
from pacesetter.integrations.sync import sync_run
from pacesetter.tabular import render


class Command(BaseCommand):
    help = "Sync deals, activities and accounts from a CRM's API (incremental unless --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("connector", nargs="?", choices=sorted(CONNECTORS))
        parser.add_argument("--full", action="store_true", help="read every record again")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the records, write nothing"
        )
        parser.add_argument(
            "--due", action="store_true",
            help="queue the scheduled syncs that are due (cron; the worker runs them)",
        )  # fmt: skip

    def handle(self, *args: Any, **o: Any) -> None:
        if o["due"]:
            if o["connector"] or o["full"] or o["dry_run"]:
                raise CommandError("--due takes no CRM, --full or --dry-run")
            if not every_minutes():
                raise CommandError("no schedule: set PACESETTER_SYNC_EVERY_MINUTES")
            jobs = syncs_enqueue_due()
            names = ", ".join(job.arguments["connector"] for job in jobs) or "none due"
            self.stdout.write(f"Queued {len(jobs)} sync(s): {names}.")
            return
        if not o["connector"]:
            raise CommandError(f"name the CRM: {', '.join(sorted(CONNECTORS))}")
        with tqdm(unit=" rows", unit_scale=True, desc=f"sync {o['connector']}", disable=None,
                  file=sys.stderr) as bar:  # fmt: skip
            try:
                run = sync_run(
                    o["connector"],
                    full=o["full"],
                    dry_run=o["dry_run"],
                    requested_by="command line",
                    progress=bar.update,
                )
            except NotConfigured as missing:
                raise CommandError(f"{o['connector']} is not set up: set {missing}") from None
        self._print(run)
        if run.status == SyncRun.Status.FAILED:
            raise CommandError(f"the {run.connector} sync failed: see the errors above")

    def _print(self, run: SyncRun) -> None:
        what = "Checked (dry run)" if run.dry_run else "Synced"
        if run.status == SyncRun.Status.FAILED:
            what = f"Stopped by an error; until then, {what.lower()}"
        self.stdout.write(
            f"{what} {run.connector}: {run.created:,} created, {run.updated:,} updated, "
            f"{run.unchanged:,} unchanged, {run.rejected:,} refused, {run.removed:,} removed "
            f"(deleted or merged in the CRM)."
        )
        for key, cursor in sorted(run.cursor_after.items()):
            self.stdout.write(f"  {key}: changes read up to {cursor}")
        for owner in run.unmatched_owners:
            name = f" ({owner['name']})" if owner["name"] else ""
            self.stdout.write(
                f"owner {owner['id']}{name} matches nobody ({owner['rows']} rows): give them "
                "this crm_id in the org file"
            )
        if run.errors:
            columns = ["object", "row", "column", "value", "reason"]
            self.stdout.write(render(run.errors, "table", columns=columns, title="Errors:"))
            more = run.error_count - len(run.errors)
            if more > 0:
                self.stdout.write(f"… and {more:,} more")
