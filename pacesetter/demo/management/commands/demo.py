"""``pacesetter demo``: load the demo org (see ``pacesetter.demo.generator``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from pacesetter.demo.generator import build_demo, clear_org, org_is_empty
from pacesetter.demo.options import DemoOptions
from pacesetter.demo.org import DEMO_LOGINS, DEMO_PASSWORD


def print_logins(write: Any) -> None:
    write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, what in DEMO_LOGINS.items():
        write(f"  {username:<8} {what}")
    write("  Every other demo person logs in with their e-mail address and the same password.")


def is_demo() -> bool:
    """Whether the loaded org is the demo (its logins exist), not a company's own."""
    return User.objects.filter(username__in=DEMO_LOGINS).count() == len(DEMO_LOGINS)


class Command(BaseCommand):
    help = "Load a realistic demo org with months of sales history (deterministic per --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reps", type=int, default=60, help="number of reps (default 60)")
        parser.add_argument("--months", type=int, default=18, help="months of history (18)")
        parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, help="history ends the day before (today)"
        )
        parser.add_argument("--batch-size", type=int, default=50_000, help="rows written per batch")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty", action="store_true", help="do nothing when an org is already loaded"
        )
        group.add_argument(
            "--replace", action="store_true", help="delete the org and its ledger first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reps"] < 1 or options["months"] < 1:
            raise CommandError("--reps and --months must be at least 1")
        if not org_is_empty():
            if options["if_empty"]:
                self.stdout.write("An org is already loaded; leaving it as it is.")
                if is_demo():
                    print_logins(self.stdout.write)
                return
            if not options["replace"]:
                raise CommandError(
                    "The database already holds an org; use --replace to start over."
                )
            clear_org()
        demo_options = DemoOptions(
            reps=options["reps"],
            months=options["months"],
            seed=options["seed"],
            as_of=options["as_of"],
            batch_size=options["batch_size"],
        )
        started = time.monotonic()
        # tqdm hides itself when stderr is not a terminal (CI logs, tests).
        with tqdm(total=options["reps"], unit="rep", desc="demo", disable=None) as bar:
            result = build_demo(demo_options, progress=lambda done, total: bar.update(1))
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Demo org loaded in {seconds:.1f} s: {result.units} units, {result.people} people "
            f"({result.reps} reps), {result.accounts:,} accounts, "
            f"{result.activities:,} activities, {result.deals:,} deals, "
            f"{result.manual_entries:,} manual entries; plan {result.plan} is active; "
            f"{result.example_goals:,} example goals (G1–G10) set, "
            f"{result.team_goals:,} collective and competition goals, "
            f"{result.awards:,} rewards earned, {result.mentorships} reps with a mentor."
        )
        print_logins(self.stdout.write)
