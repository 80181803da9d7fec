"""``pacesetter serve``: run the web app (Django's server; gunicorn for production)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pacesetter.demo.generator import DEMO_LOGINS
from pacesetter.demo.management.commands.demo import print_logins


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
        if get_user_model().objects.filter(username__in=DEMO_LOGINS).exists():
            print_logins(self.stdout.write)
        self.stdout.write(f"Pacesetter: http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        call_command(
            "runserver",
            f"{options['host']}:{options['port']}",
            use_reloader=options["reload"],
        )
