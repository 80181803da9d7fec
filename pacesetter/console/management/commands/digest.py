"""``pacesetter digest [--send [--queue]]``: each manager's weekly digest (console mail by
default). ``--send`` sends at once; with ``--queue`` the worker sends it (a task)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from pacesetter.jobs.services import job_enqueue
from pacesetter.org.models import Person
from pacesetter.org.selectors import today_in_org
from pacesetter.tracking.digest import build_digests, render_digest, send_digests
from pacesetter.tracking.tasks import send_digests_task


class Command(BaseCommand):
    help = "Build each manager's digest (at-risk reps first); --send e-mails them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--send", action="store_true", help="e-mail the digests")
        parser.add_argument(
            "--queue", action="store_true",
            help="with --send: queue the sending for the worker (`pacesetter worker`) and return",
        )  # fmt: skip
        parser.add_argument("--manager", metavar="EMAIL", help="only this manager")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="pretend it is this day")

    def handle(self, *args: Any, **options: Any) -> None:
        managers = None
        if options["manager"]:
            who = options["manager"]
            managers = list(Person.objects.filter(Q(email=who) | Q(user__username=who)))
            if not managers:
                raise CommandError(f"no person with e-mail or login {who!r}")
        today = options["today"] or today_in_org()
        if options["queue"]:
            if not options["send"]:
                raise CommandError("--queue goes with --send")
            job = job_enqueue(
                task=send_digests_task,
                kind="digest",
                arguments={
                    "today": today.isoformat(),
                    "manager_ids": None if managers is None else [m.pk for m in managers],
                },
            )
            self.stdout.write(f"Queued as task #{job.pk}: `pacesetter worker` sends it.")
            return
        digests = build_digests(today, managers)
        if options["send"]:
            sent = send_digests(digests)
            self.stdout.write(f"Sent {sent} digest(s).")
            return
        for digest in digests:
            text, _ = render_digest(digest)
            self.stdout.write(f"To: {digest.manager.email}\n{text}\n")
        if not digests:
            self.stdout.write("No managers to write to.")
