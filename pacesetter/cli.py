"""The ``pacesetter`` command: Django's manage.py with Pacesetter's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``pacesetter migrate``, ``pacesetter demo``, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pacesetter.settings")
    from pacesetter.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["pacesetter", *(sys.argv[1:] if argv is None else argv)])
    except ConfigError as error:
        sys.stderr.write(f"pacesetter: configuration error: {error}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
