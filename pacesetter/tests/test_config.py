"""Configuration comes from PACESETTER_* variables and fails loudly on bad values."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pacesetter import config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["maybe", "2", "tru"])
def test_a_malformed_boolean_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("PACESETTER_DEBUG", value)
    with pytest.raises(config.ConfigError, match="PACESETTER_DEBUG"):
        config.env_bool("DEBUG", False)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/x", "unsupported scheme"),
        ("postgres://user@host:notaport/db", "malformed port"),
        ("postgres://user@host/", "names no database"),
        ("sqlite://", "names no database file"),
    ],
)
def test_a_bad_database_url_is_explained(url, message, tmp_path):
    with pytest.raises(config.ConfigError, match=message):
        config.database_from_url(url, tmp_path)


def test_database_urls_for_both_backends(tmp_path):
    sqlite = config.database_from_url("sqlite:///var/db.sqlite3", tmp_path)
    assert sqlite["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    assert (
        config.database_from_url("sqlite:////abs/db.sqlite3", tmp_path)["NAME"] == "/abs/db.sqlite3"
    )
    pg = config.database_from_url("postgres://sam:p%40ss@db.internal:6543/sales", tmp_path)
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "sales",
        "sam",
        "p@ss",
        "db.internal",
        "6543",
    )


def test_the_secret_key_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("PACESETTER_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path, generate=True)
    assert len(first) >= 50
    assert config.secret_key(tmp_path, generate=True) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    with pytest.raises(config.ConfigError, match="required in production"):
        config.secret_key(tmp_path, generate=False)


def test_a_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("PACESETTER_SECRET_KEY", "short")
    with pytest.raises(config.ConfigError, match="too short"):
        config.secret_key(tmp_path, generate=True)


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("a" * 80, "has too few different characters"),
        ("ab" * 40, "has too few different characters"),
        ("abcdefghij" * 8, "is too predictable"),  # ten characters, but a pattern repeated
        ("0123456789" * 5 + "abcdefghij" * 5, "is too predictable"),
    ],
)
def test_a_long_but_predictable_secret_key_is_refused(monkeypatch, tmp_path, key, why):
    monkeypatch.setenv("PACESETTER_SECRET_KEY", key)
    with pytest.raises(config.ConfigError, match=f"PACESETTER_SECRET_KEY {why}"):
        config.secret_key(tmp_path, generate=False)


def test_random_secret_keys_of_every_usual_kind_are_strong():
    from django.core.management.utils import get_random_secret_key

    for _ in range(200):
        for key in (
            get_random_secret_key(),  # Django's: 50 characters
            secrets.token_urlsafe(64),
            secrets.token_hex(25),  # 50 hexadecimal digits: 16 different characters at most
        ):
            assert config.secret_key_weakness(key) is None, key
    assert config.secret_key_weakness(PRODUCTION["PACESETTER_SECRET_KEY"]) is None


def test_email_goes_to_the_console_unless_smtp_is_given(monkeypatch):
    monkeypatch.delenv("PACESETTER_EMAIL_URL", raising=False)
    assert config.email_settings().backend.endswith("console.EmailBackend")
    monkeypatch.setenv("PACESETTER_EMAIL_URL", "smtp+tls://bot:pw@mail.example.com")
    mail = config.email_settings()
    assert (mail.host, mail.port, mail.user, mail.use_tls) == ("mail.example.com", 587, "bot", True)
    monkeypatch.setenv("PACESETTER_EMAIL_URL", "carrier-pigeon://coop")
    with pytest.raises(config.ConfigError, match="PACESETTER_EMAIL_URL"):
        config.email_settings()


def run_pacesetter(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PACESETTER_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pacesetter", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "PACESETTER_ENV": "production",
    # A random key (secrets.token_urlsafe(48)), as production needs; for the tests only.
    "PACESETTER_SECRET_KEY": "I3qcuY8fowsHtAkZMFecU32pP9nl-9012XyijnmFd-m2C8dSPeZr3DmXoNeGMab_",
    "PACESETTER_ALLOWED_HOSTS": "sales.example.com",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_pacesetter(
        "check", "--deploy", "--fail-level", "WARNING", PACESETTER_VAR_DIR=str(tmp_path),
        **PRODUCTION,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_installs_the_demo_and_bench_only_when_asked(tmp_path):
    ask = "from django.conf import settings; print('pacesetter.demo' in settings.INSTALLED_APPS)"
    plain = run_pacesetter("shell", "-c", ask, PACESETTER_VAR_DIR=str(tmp_path), **PRODUCTION)
    asked = run_pacesetter(
        "shell", "-c", ask, PACESETTER_VAR_DIR=str(tmp_path), PACESETTER_DEMO_APPS="1",
        **PRODUCTION,
    )  # fmt: skip
    development = run_pacesetter("shell", "-c", ask, PACESETTER_VAR_DIR=str(tmp_path))
    last = [r.stdout.split()[-1] for r in (plain, asked, development)]
    assert last == ["False", "True", "True"], plain.stderr
    assert (
        "Unknown command: 'demo'"
        in run_pacesetter("demo", PACESETTER_VAR_DIR=str(tmp_path), **PRODUCTION).stderr
    )


@pytest.mark.parametrize("missing", ["PACESETTER_SECRET_KEY", "PACESETTER_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_pacesetter("check", PACESETTER_VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 2
    assert missing in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PACESETTER_DEBUG", "1", "PACESETTER_DEBUG is on: production never runs in debug mode"),
        ("PACESETTER_ALLOWED_HOSTS", "*", "PACESETTER_ALLOWED_HOSTS='*' holds a wildcard"),
        ("PACESETTER_ALLOWED_HOSTS", "sales.example.com,*", "holds a wildcard ('*')"),
        ("PACESETTER_SECRET_KEY", "x" * 64, "PACESETTER_SECRET_KEY has too few different"),
        ("PACESETTER_SECRET_KEY", "0123456789abcdef" * 4, "SECRET_KEY is too predictable"),
        ("PACESETTER_SECRET_KEY", "K9#" * 10, "PACESETTER_SECRET_KEY is too short"),
    ],
)
def test_production_refuses_to_start_unsafe(tmp_path, variable, value, message):
    """Debug mode, a wildcard host or a weak key: production does not start at all (not a
    warning of ``check --deploy``); the command stops with status 2 and says why."""
    env = {**PRODUCTION, variable: value}
    result = run_pacesetter("check", PACESETTER_VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("pacesetter: configuration error: PACESETTER_")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_development_may_run_in_debug_mode_on_any_host(tmp_path):
    result = run_pacesetter(
        "check", PACESETTER_VAR_DIR=str(tmp_path), PACESETTER_DEBUG="1",
        PACESETTER_ALLOWED_HOSTS="*",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# What a production response carries, asked of the real production settings over HTTPS.
HEADERS_SCRIPT = """
import json
from django.core.management import call_command
from django.test import Client
from django.contrib.auth.models import User
call_command("migrate", verbosity=0)
User.objects.create_user("sam", password="a long pass phrase")
client = Client(HTTP_HOST="sales.example.com")
response = client.get("/healthz", secure=True)  # no page: no static files to collect
login = client.post(
    "/login/", {"username": "sam", "password": "a long pass phrase"}, secure=True
)
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "login": login.status_code,
    "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": bool(login.cookies["sessionid"]["secure"]),
}))
"""


def test_a_production_response_carries_the_security_headers(tmp_path):
    result = run_pacesetter(
        "shell", "-c", HEADERS_SCRIPT, PACESETTER_VAR_DIR=str(tmp_path), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    headers = found["headers"]
    assert (found["status"], found["login"]) == (200, 302)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert found["csrf_cookie_secure"] and found["session_cookie_secure"]


def test_a_bad_variable_stops_the_cli_with_a_clear_message(tmp_path):
    result = run_pacesetter("check", PACESETTER_VAR_DIR=str(tmp_path), PACESETTER_DEBUG="perhaps")
    assert result.returncode == 2
    assert "configuration error: PACESETTER_DEBUG='perhaps' is not a boolean" in result.stderr
