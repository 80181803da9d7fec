"""Configuration comes from PACESETTER_* variables and fails loudly on bad values."""

import os
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
    "PACESETTER_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
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


def test_a_bad_variable_stops_the_cli_with_a_clear_message(tmp_path):
    result = run_pacesetter("check", PACESETTER_VAR_DIR=str(tmp_path), PACESETTER_DEBUG="perhaps")
    assert result.returncode == 2
    assert "configuration error: PACESETTER_DEBUG='perhaps' is not a boolean" in result.stderr
