"""Reading ``PACESETTER_*`` environment variables: every bad value fails loudly, naming it.

Kept free of Django so that settings, the CLI and scripts share one reading of the
environment.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict
from urllib.parse import parse_qsl, unquote, urlsplit

PREFIX = "PACESETTER_"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A PACESETTER_* variable is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    """The variable's value, or ``default``; with no default a missing variable is an error."""
    value = os.environ.get(PREFIX + name)
    if value is None:
        if default is None:
            raise ConfigError(f"{PREFIX}{name} is required but not set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(PREFIX + name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{PREFIX}{name}={value!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(PREFIX + name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name}={value!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(PREFIX + name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(f"{PREFIX}{name}={value!r} must be one of {', '.join(choices)}")
    return value


class DatabaseSettings(TypedDict):
    """One entry of Django's ``DATABASES``, as :func:`database_from_url` builds it."""

    ENGINE: str
    NAME: str
    OPTIONS: dict[str, str | int]
    USER: NotRequired[str]
    PASSWORD: NotRequired[str]
    HOST: NotRequired[str]
    PORT: NotRequired[str]
    CONN_MAX_AGE: NotRequired[int]
    CONN_HEALTH_CHECKS: NotRequired[bool]


def database_from_url(url: str, base_dir: Path) -> DatabaseSettings:
    """Django's DATABASES['default'] from ``sqlite:///path`` or ``postgres://user:pw@host/db``.

    A relative SQLite path is relative to the project's base directory. SQLite runs in WAL
    mode so that the dashboard can read while an import writes.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw = unquote(parts.path)
        # sqlite:///var/db.sqlite3 is relative; sqlite:////abs/db.sqlite3 is absolute.
        raw = raw[1:] if raw.startswith("/") else raw
        if not raw:
            raise ConfigError(f"{PREFIX}DATABASE_URL={url!r} names no database file")
        path = Path(raw) if Path(raw).is_absolute() else base_dir / raw
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock up front instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"{PREFIX}DATABASE_URL={url!r} names no database")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{PREFIX}DATABASE_URL={url!r} has a malformed port") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(
        f"{PREFIX}DATABASE_URL={url!r}: unsupported scheme {parts.scheme!r} "
        "(use sqlite:///path or postgres://user:password@host:port/name)"
    )


def secret_key(var_dir: Path, *, generate: bool) -> str:
    """PACESETTER_SECRET_KEY, or a key kept in ``var/secret_key`` (made on first run)."""
    given = os.environ.get(PREFIX + "SECRET_KEY")
    if given is not None:
        if len(given) < 50:
            raise ConfigError(f"{PREFIX}SECRET_KEY is too short ({len(given)} < 50 characters)")
        return given
    if not generate:
        raise ConfigError(f"{PREFIX}SECRET_KEY is required in production")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class Email:
    backend: str
    host: str
    port: int
    user: str
    password: str
    use_tls: bool
    sender: str


def email_settings() -> Email:
    """Mail goes to the console unless PACESETTER_EMAIL_URL names an SMTP server."""
    url = os.environ.get(PREFIX + "EMAIL_URL", "console:")
    sender = env_str("EMAIL_FROM", "pacesetter@localhost")
    parts = urlsplit(url)
    if parts.scheme == "console":
        return Email("django.core.mail.backends.console.EmailBackend", "", 0, "", "", False, sender)
    if parts.scheme in ("smtp", "smtp+tls"):
        try:
            port = parts.port or (587 if parts.scheme == "smtp+tls" else 25)
        except ValueError:
            raise ConfigError(f"{PREFIX}EMAIL_URL={url!r} has a malformed port") from None
        return Email(
            "django.core.mail.backends.smtp.EmailBackend",
            parts.hostname or "",
            port,
            unquote(parts.username or ""),
            unquote(parts.password or ""),
            parts.scheme == "smtp+tls",
            sender,
        )
    raise ConfigError(
        f"{PREFIX}EMAIL_URL={url!r}: use console: or smtp://user:pw@host:port (smtp+tls:// for TLS)"
    )
