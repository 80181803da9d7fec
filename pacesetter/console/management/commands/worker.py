"""``pacesetter worker``: run the background tasks (imports started on the web, the recount
after a time-zone change, awards, queued digests) as they are queued.

The database backend of ``django-tasks`` (``django_tasks_db``) keeps the tasks in the
database, so nothing else needs to run: no broker, on SQLite as on PostgreSQL. This wraps
its worker: SIGTERM or Ctrl-C (SIGINT) stops it cleanly, after the task it is running (a
second signal stops that task too; its job is then marked failed, to be run again from the
Tasks page). ``--batch`` runs what is queued and exits (cron, tests). ``make run`` starts one
beside the server and stops it with the server.

When it starts it tidies up: an import left half written by a process that died is undone
(``ledger/importers/steps.py``), tasks left running by a worker that was killed are marked
failed (so they can be run again), and tasks finished more than ``PACESETTER_JOBS_KEEP_DAYS``
(30) days ago are forgotten.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from pacesetter import config
from pacesetter.integrations.schedule import start_schedule
from pacesetter.jobs.services import jobs_orphans_fail, jobs_prune
from pacesetter.ledger.importers.steps import recover_unfinished

WORKER_SQLITE_TIMEOUT = 60  # seconds: the worker may wait for a web write's lock


class Command(BaseCommand):
    help = "Run the background tasks as they are queued (Ctrl-C or SIGTERM stops it cleanly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the tasks queued now, then exit"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, metavar="SECONDS",
            help="how often to look for new tasks when idle (default 1)",
        )  # fmt: skip
        parser.add_argument("--max-tasks", type=int, metavar="N", help="exit after running N tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                "tasks run as they are queued here (PACESETTER_TASKS=immediate): no worker needed"
            )
        _patient_with_sqlite()
        self._tidy(options["verbosity"])
        if not options["batch"]:
            start_schedule()  # PACESETTER_SYNC_EVERY_MINUTES: queues the CRM syncs due
        worker = Worker(
            queue_names=list(settings.TASKS[DEFAULT_TASK_BACKEND_ALIAS].get("QUEUES", ["*"])),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if options["verbosity"]:
            self.stdout.write("Worker: running queued tasks (Ctrl-C to stop).")
            self.stdout.flush()
        worker.configure_signals()
        try:
            worker.run()
        except SystemExit as stop:  # the signal handler's way out while idle
            if stop.code not in (0, None):
                raise
        finally:
            worker.reset_signals()
        if options["verbosity"]:
            self.stdout.write("Worker stopped.")

    def _tidy(self, verbosity: int) -> None:
        """What a worker that died left behind, and what is old enough to forget."""
        said = []
        undone = recover_unfinished()  # an import whose process died while writing
        if undone:
            said.append(f"undid the {undone} step(s) of an import that did not finish")
        orphans = jobs_orphans_fail()
        if orphans:
            said.append(f"{orphans} task(s) left running by a stopped worker marked failed")
        keep = config.env_int("JOBS_KEEP_DAYS", 30)
        pruned = jobs_prune(keep_days=keep)
        if pruned:
            said.append(f"forgot {pruned} task(s) finished more than {keep} days ago")
        if said and verbosity:
            self.stdout.write("Worker: " + "; ".join(said) + ".")


def _patient_with_sqlite() -> None:
    """The worker's writes may wait longer for the lock than a page does."""
    database = connections["default"]
    if database.vendor == "sqlite" and not database.in_atomic_block:
        database.close()  # the next connection is made with the new timeout
        options = database.settings_dict.setdefault("OPTIONS", {})
        options["timeout"] = max(int(options.get("timeout", 5)), WORKER_SQLITE_TIMEOUT)
