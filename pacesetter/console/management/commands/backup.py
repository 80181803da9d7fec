"""``pacesetter backup FILE``: a consistent copy of the whole database, taken while
Pacesetter runs (SQLite: its online backup API; PostgreSQL: ``pg_dump -Fc``). Restore it
with ``pacesetter restore FILE``. See ``pacesetter/backups.py``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from pacesetter.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup of the whole database to FILE, while Pacesetter runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            backup(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = options["file"].stat().st_size
        self.stdout.write(
            f"Backed up the {connection.vendor} database to {options['file']} "
            f"({size:,} bytes, {time.perf_counter() - started:.1f} s)."
        )
