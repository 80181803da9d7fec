"""``pacesetter rollups check|rebuild``: compare the monthly rollups with the ledger, or
recount them from it.

Imports, the demo and the weekly form keep the rollups current as they write; a repair is
needed only after the ledger was changed behind their back (SQL by hand, a restored backup
of one table). ``check`` changes nothing and exits with status 1 when anything differs.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.console.arguments import person_named
from pacesetter.ledger.rollups import differences, rebuild


class Command(BaseCommand):
    help = "Compare the monthly rollups with the ledger (check), or recount them (rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "rebuild"])
        parser.add_argument(
            "--person", action="append", metavar="EMAIL",
            help="rebuild only these people's rollups (and their customers' touches)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["action"] == "check":
            if options["person"]:
                raise CommandError("--person goes with rebuild; check compares everything")
            found = differences()
            for name, n in found.items():
                self.stdout.write(f"{name}: {_state(n)}")
            if any(found.values()):
                self.stderr.write("Run `pacesetter rollups rebuild` to recount them.")
                raise SystemExit(1)
            return
        people = [person_named(e).pk for e in options["person"] or []] or None
        rebuild(people)
        who = (
            "everyone" if people is None
            else "1 person" if len(people) == 1 else f"{len(people)} people"
        )  # fmt: skip
        seconds = time.perf_counter() - started
        self.stdout.write(f"Rollups recounted from the ledger for {who} in {seconds:.1f} s.")


def _state(differing: int) -> str:
    if not differing:
        return "matches the ledger"
    return "1 row differs" if differing == 1 else f"{differing:,} rows differ"
