"""``pacesetter digest [--send]``: each manager's weekly digest (console mail by default)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from pacesetter.org.models import Person
from pacesetter.org.selectors import today_in_org
from pacesetter.tracking.digest import build_digests, render_digest, send_digests


class Command(BaseCommand):
    help = "Build each manager's digest (at-risk reps first); --send e-mails them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--send", action="store_true", help="e-mail the digests")
        parser.add_argument("--manager", metavar="EMAIL", help="only this manager")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="pretend it is this day")

    def handle(self, *args: Any, **options: Any) -> None:
        managers = None
        if options["manager"]:
            who = options["manager"]
            managers = list(Person.objects.filter(Q(email=who) | Q(user__username=who)))
            if not managers:
                raise CommandError(f"no person with e-mail or login {who!r}")
        digests = build_digests(options["today"] or today_in_org(), managers)
        if options["send"]:
            sent = send_digests(digests)
            self.stdout.write(f"Sent {sent} digest(s).")
            return
        for digest in digests:
            text, _ = render_digest(digest)
            self.stdout.write(f"To: {digest.manager.email}\n{text}\n")
        if not digests:
            self.stdout.write("No managers to write to.")
