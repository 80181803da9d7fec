"""Reading ``PACESETTER_*`` environment variables: every bad value fails loudly, naming it.

Kept free of Django so that settings, the CLI and scripts share one reading of the
environment.
"""

from __future__ import annotations

import math
import os
import secrets
import zlib
from collections import Counter
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
                # Seconds a write waits for another's lock: web writes are short, so a longer
                # wait means a long import; the page then answers 503 (web/busy.py). The
                # worker waits longer (``pacesetter worker``).
                "timeout": env_int("SQLITE_TIMEOUT", 5),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            # Each server thread keeps its connection between requests: opening one (the file,
            # the PRAGMAs above, the schema) costs 2 ms, most of a page served from the cache.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
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


SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10
SECRET_KEY_MIN_BITS = 128


def entropy_bits(text: str) -> float:
    """An estimate of the randomness in ``text``, in bits: the smaller of its Shannon
    entropy (by character frequency, times the length) and 4 bits per byte of it once
    compressed, so that neither one character a lot ("aaaa…") nor a pattern repeated
    ("0123456789abcdef" × 4) passes for random. (A random key's characters hold 4 to 6
    bits each; compression keeps about a byte per character of them.)"""
    counts = Counter(text)
    shannon = -sum(n * math.log2(n / len(text)) for n in counts.values())
    compressed = len(zlib.compress(text.encode(), 9)) - len(zlib.compress(b"", 9))
    return min(shannon, compressed * 4.0)


def secret_key_weakness(key: str) -> str | None:
    """Why ``key`` is too weak to sign sessions and CSRF tokens, or None when it is strong:
    at least 50 characters, 10 different ones and 128 bits of estimated randomness."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is too short ({len(key)} < {SECRET_KEY_MIN_LENGTH} characters)"
    distinct = len(set(key))
    if distinct < SECRET_KEY_MIN_DISTINCT:
        return f"has too few different characters ({distinct} < {SECRET_KEY_MIN_DISTINCT})"
    bits = entropy_bits(key)
    if bits < SECRET_KEY_MIN_BITS:
        return f"is too predictable (about {bits:.0f} < {SECRET_KEY_MIN_BITS} bits of randomness)"
    return None


def secret_key(var_dir: Path, *, generate: bool) -> str:
    """PACESETTER_SECRET_KEY, or a key kept in ``var/secret_key`` (made on first run).

    A given key must be strong (:func:`secret_key_weakness`); make one with
    ``python -c "import secrets; print(secrets.token_urlsafe(64))"``.
    """
    given = os.environ.get(PREFIX + "SECRET_KEY")
    if given is not None:
        weakness = secret_key_weakness(given)
        if weakness is not None:
            raise ConfigError(
                f"{PREFIX}SECRET_KEY {weakness}: use a long random key, e.g. the output of "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
            )
        return given
    if not generate:
        raise ConfigError(f"{PREFIX}SECRET_KEY is required in production")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def production_refusals(*, debug: bool, allowed_hosts: list[str]) -> None:
    """Production does not start in debug mode (its error pages show settings and code to
    anyone) nor for any host name (``*`` lets a forged Host header into links and mails)."""
    if debug:
        raise ConfigError(
            f"{PREFIX}DEBUG is on: production never runs in debug mode (unset it or set it to 0)"
        )
    wild = [host for host in allowed_hosts if "*" in host]
    if wild:
        raise ConfigError(
            f"{PREFIX}ALLOWED_HOSTS={','.join(allowed_hosts)!r} holds a wildcard ({wild[0]!r}): "
            "name the site's host names in production (a leading dot allows subdomains)"
        )


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


@dataclass(frozen=True)
class ChatWebhooks:
    """The chat channels notifications may be posted to: a Slack and a Microsoft Teams
    incoming webhook, one setting each (empty: none). The URLs are secrets: pages only
    say whether one is set."""

    slack: str
    teams: str


def webhook_url(name: str) -> str:
    """PACESETTER_<name>: an http(s) URL with a host, or empty when not set."""
    value = env_str(name, "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        # Never echo the value: a webhook URL is a secret.
        raise ConfigError(f"{PREFIX}{name} must be an https:// URL")
    return value


def chat_webhooks() -> ChatWebhooks:
    """PACESETTER_SLACK_WEBHOOK_URL and PACESETTER_TEAMS_WEBHOOK_URL."""
    return ChatWebhooks(webhook_url("SLACK_WEBHOOK_URL"), webhook_url("TEAMS_WEBHOOK_URL"))


@dataclass(frozen=True)
class Oidc:
    """Single sign-on with OpenID Connect (``pacesetter.sso``). The endpoints come from the
    provider's discovery document (``discovery_url``, or the issuer's
    ``/.well-known/openid-configuration``) unless each is given. The client secret is a
    secret: pages never show it."""

    client_id: str
    client_secret: str
    issuer: str
    discovery_url: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    scopes: str
    provider_name: str
    create_users: bool
    sign_algo: str


OIDC_ENDPOINTS = ("AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USERINFO_ENDPOINT", "JWKS_URI")


def _oidc_url(name: str) -> str:
    value = env_str(name, "").strip()
    parts = urlsplit(value)
    if value and (parts.scheme not in ("https", "http") or not parts.hostname):
        raise ConfigError(f"{PREFIX}{name}={value!r} must be an https:// URL")
    return value


def oidc_settings() -> Oidc | None:
    """PACESETTER_OIDC_*: None when single sign-on is not set up (no client id)."""
    client_id = env_str("OIDC_CLIENT_ID", "").strip()
    if not client_id:
        return None
    issuer = _oidc_url("OIDC_ISSUER").rstrip("/")
    discovery = _oidc_url("OIDC_DISCOVERY_URL")
    if not discovery and issuer:
        discovery = f"{issuer}/.well-known/openid-configuration"
    urls = {name: _oidc_url(f"OIDC_{name}") for name in OIDC_ENDPOINTS}
    if not discovery and not all(urls.values()):
        raise ConfigError(
            f"{PREFIX}OIDC_CLIENT_ID is set: set {PREFIX}OIDC_ISSUER (or "
            f"{PREFIX}OIDC_DISCOVERY_URL), or every one of "
            + ", ".join(f"{PREFIX}OIDC_{name}" for name in OIDC_ENDPOINTS)
        )
    return Oidc(
        client_id=client_id,
        client_secret=env_str("OIDC_CLIENT_SECRET", ""),
        issuer=issuer,
        discovery_url=discovery,
        authorization_endpoint=urls["AUTHORIZATION_ENDPOINT"],
        token_endpoint=urls["TOKEN_ENDPOINT"],
        userinfo_endpoint=urls["USERINFO_ENDPOINT"],
        jwks_uri=urls["JWKS_URI"],
        scopes=env_str("OIDC_SCOPES", "openid email profile"),
        provider_name=env_str("OIDC_PROVIDER_NAME", "").strip(),
        create_users=env_bool("OIDC_CREATE_USERS", False),
        sign_algo=env_choice("OIDC_SIGN_ALGO", "RS256", ("RS256", "RS384", "RS512", "ES256")),
    )


def password_login(sso: Oidc | None) -> bool:
    """PACESETTER_PASSWORD_LOGIN (default on). Off only with single sign-on set up: otherwise
    nobody could log in."""
    enabled = env_bool("PASSWORD_LOGIN", True)
    if not enabled and sso is None:
        raise ConfigError(
            f"{PREFIX}PASSWORD_LOGIN=0 needs single sign-on: set {PREFIX}OIDC_CLIENT_ID too"
        )
    return enabled


# --- CRM connectors (pacesetter.integrations) -------------------------------------------

CRM_URLS = {
    "hubspot": "https://api.hubapi.com",
    "pipedrive": "https://api.pipedrive.com",
    "salesforce": "https://login.salesforce.com",  # the OAuth endpoint; data: the instance
}


@dataclass(frozen=True)
class CrmSettings:
    """One CRM's connection, from PACESETTER_<VENDOR>_*: its API's base URL (``_URL``, so a
    sandbox or a test server can stand in) and its secrets, which are never shown back."""

    url: str
    token: str = ""  # HubSpot private-app token, Pipedrive API token
    client_id: str = ""  # Salesforce connected app (OAuth)
    client_secret: str = ""
    refresh_token: str = ""
    username: str = ""  # Salesforce JWT bearer flow
    private_key_file: str = ""
    api_version: str = "v62.0"

    def __repr__(self) -> str:  # never print a secret
        return f"CrmSettings(url={self.url!r})"


def crm_settings(vendor: str) -> CrmSettings:
    """PACESETTER_HUBSPOT_TOKEN, PACESETTER_PIPEDRIVE_TOKEN, PACESETTER_SALESFORCE_CLIENT_ID,
    _CLIENT_SECRET, _REFRESH_TOKEN (or _USERNAME and _PRIVATE_KEY_FILE), _API_VERSION; and
    PACESETTER_<VENDOR>_URL."""
    prefix = vendor.upper()
    url = env_str(f"{prefix}_URL", CRM_URLS[vendor]).strip().rstrip("/")
    if urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).hostname:
        raise ConfigError(f"{PREFIX}{prefix}_URL must be an https:// URL")
    return CrmSettings(
        url=url,
        token=env_str(f"{prefix}_TOKEN", "").strip(),
        client_id=env_str(f"{prefix}_CLIENT_ID", "").strip(),
        client_secret=env_str(f"{prefix}_CLIENT_SECRET", "").strip(),
        refresh_token=env_str(f"{prefix}_REFRESH_TOKEN", "").strip(),
        username=env_str(f"{prefix}_USERNAME", "").strip(),
        private_key_file=env_str(f"{prefix}_PRIVATE_KEY_FILE", "").strip(),
        api_version=env_str(f"{prefix}_API_VERSION", "v62.0").strip(),
    )
