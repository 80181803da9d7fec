"""``pacesetter restore FILE``: replace the database's contents with a backup made by
``pacesetter backup``. A database that holds data is replaced only with ``--force``. Stop
the worker first; pages answer "busy" while it runs. Then run ``pacesetter migrate`` (a
backup of an older version is brought up to date)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from a backup FILE (refuses a database with data unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            restore(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {options['file']} in {time.perf_counter() - started:.1f} s. "
            "Run `pacesetter migrate` if the backup is older than this version."
        )
