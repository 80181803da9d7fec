"""``pacesetter serve``: run the web app (Django's server; gunicorn for production)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pacesetter.demo.generator import org_is_empty
from pacesetter.demo.management.commands.demo import is_demo, print_logins


class Command(BaseCommand):
    help = (
        "Serve Pacesetter on http://HOST:PORT with Django's server. In production run "
        "`gunicorn pacesetter.wsgi` behind a proxy instead (see README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--reload", action="store_true", help="restart when code changes")

    def handle(self, *args: Any, **options: Any) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        if org_is_empty():
            self.stdout.write(f"No org yet: set up your company at {url}setup/ "
                              "(or run `pacesetter setup`).")  # fmt: skip
        elif is_demo():
            print_logins(self.stdout.write)
        self.stdout.write(f"Pacesetter: {url}")
        self.stdout.flush()
        call_command(
            "runserver",
            f"{options['host']}:{options['port']}",
            use_reloader=options["reload"],
        )
