"""The identity provider as mozilla-django-oidc asks for it: its settings (``oidc_setting``)
read from ``settings.SSO`` (``config.oidc_settings``, PACESETTER_OIDC_*) and, for the
endpoints not given one by one, from the provider's discovery document, fetched when first
needed (never at start-up) and kept for the process."""

from __future__ import annotations

import functools
from typing import Any

import requests
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.utils import import_from_settings

from pacesetter.config import Oidc

TIMEOUT = 10  # seconds for each call to the provider
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": ("authorization_endpoint", "authorization_endpoint"),
    "OIDC_OP_TOKEN_ENDPOINT": ("token_endpoint", "token_endpoint"),
    "OIDC_OP_USER_ENDPOINT": ("userinfo_endpoint", "userinfo_endpoint"),
    "OIDC_OP_JWKS_ENDPOINT": ("jwks_uri", "jwks_uri"),
}


class NotSetUp(Exception):
    """Single sign-on is not set up (no PACESETTER_OIDC_CLIENT_ID)."""


def sso() -> Oidc:
    found = getattr(settings, "SSO", None)
    if found is None:
        raise NotSetUp
    return found


def enabled() -> bool:
    return getattr(settings, "SSO", None) is not None


def provider_name() -> str:
    """How the login page names the provider: PACESETTER_OIDC_PROVIDER_NAME, or a phrase."""
    found = getattr(settings, "SSO", None)
    return found.provider_name if found and found.provider_name else _("your company account")


@functools.lru_cache(maxsize=8)
def discovery(url: str) -> dict[str, Any]:
    """The provider's ``/.well-known/openid-configuration`` (a failure is not kept)."""
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict):
        raise ValueError(f"{url} is not a discovery document")
    return document


def _endpoint(conf: Oidc, attr: str) -> str:
    field, key = DISCOVERED[attr]
    given = str(getattr(conf, field))
    if given:
        return given
    return str(discovery(conf.discovery_url)[key])


def issuer() -> str:
    """The issuer an id_token must name: PACESETTER_OIDC_ISSUER, else the discovery's."""
    conf = sso()
    if conf.issuer:
        return conf.issuer
    if conf.discovery_url:
        return str(discovery(conf.discovery_url).get("issuer", ""))
    return ""


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's ``get_settings``, answered from ``settings.SSO``."""
    conf = sso()
    if attr in DISCOVERED:
        return _endpoint(conf, attr)
    fixed: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": conf.client_id,
        "OIDC_RP_CLIENT_SECRET": conf.client_secret,
        "OIDC_RP_SIGN_ALGO": conf.sign_algo,
        "OIDC_RP_SCOPES": conf.scopes,
        "OIDC_CREATE_USER": conf.create_users,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_TIMEOUT": TIMEOUT,
        "OIDC_VERIFY_SSL": True,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_authentication_callback",
        "LOGIN_REDIRECT_URL_FAILURE": reverse("login"),
    }
    if attr in fixed:
        return fixed[attr]
    return import_from_settings(attr, *default)
