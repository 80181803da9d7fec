"""PACESETTER_OIDC_* and PACESETTER_PASSWORD_LOGIN, read by ``config``."""

from __future__ import annotations

import pytest

from pacesetter.config import ConfigError, oidc_settings, password_login


def test_single_sign_on_is_off_without_a_client_id(monkeypatch):
    monkeypatch.delenv("PACESETTER_OIDC_CLIENT_ID", raising=False)
    assert oidc_settings() is None


def test_the_issuer_gives_the_discovery_document(monkeypatch):
    monkeypatch.setenv("PACESETTER_OIDC_CLIENT_ID", "pacesetter")
    monkeypatch.setenv("PACESETTER_OIDC_CLIENT_SECRET", "x")
    monkeypatch.setenv("PACESETTER_OIDC_ISSUER", "https://login.example.com/realms/sales/")
    monkeypatch.setenv("PACESETTER_OIDC_CREATE_USERS", "1")
    sso = oidc_settings()
    assert sso is not None
    assert sso.issuer == "https://login.example.com/realms/sales"
    assert sso.discovery_url == (
        "https://login.example.com/realms/sales/.well-known/openid-configuration"
    )
    assert sso.create_users and sso.scopes == "openid email profile"


def test_a_client_id_without_a_provider_is_refused(monkeypatch):
    monkeypatch.setenv("PACESETTER_OIDC_CLIENT_ID", "pacesetter")
    for name in ("ISSUER", "DISCOVERY_URL", "TOKEN_ENDPOINT"):
        monkeypatch.delenv(f"PACESETTER_OIDC_{name}", raising=False)
    with pytest.raises(ConfigError, match="PACESETTER_OIDC_ISSUER"):
        oidc_settings()


def test_passwords_cannot_be_switched_off_without_single_sign_on(monkeypatch):
    monkeypatch.setenv("PACESETTER_PASSWORD_LOGIN", "0")
    with pytest.raises(ConfigError, match="needs single sign-on"):
        password_login(None)
    monkeypatch.setenv("PACESETTER_OIDC_CLIENT_ID", "pacesetter")
    monkeypatch.setenv("PACESETTER_OIDC_ISSUER", "https://login.example.com")
    assert password_login(oidc_settings()) is False
