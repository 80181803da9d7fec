"""Who may log in, and how: passwords (``PasswordBackend``) and single sign-on through the
company's OpenID Connect provider (``OidcBackend``, mozilla-django-oidc's backend)."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pacesetter.sso import provider
from pacesetter.sso.accounts import Claims, Refused, user_for

logger = logging.getLogger(__name__)
LEEWAY = 60  # seconds of clock difference allowed with the provider
REFUSAL = "sso_refusal"  # the request attribute that says why a sign-in was refused


class PasswordBackend(ModelBackend):
    """Django's password check, refused when ``PASSWORD_LOGIN`` is off (single sign-on only).
    Permissions still come from here, whatever the way in."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not settings.PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def refuse(request: HttpRequest, reason: str) -> None:
    setattr(request, REFUSAL, reason)


def token_refused() -> str:
    return _("The sign-in could not be verified: the identity provider's answer was not valid.")


class OidcBackend(OIDCAuthenticationBackend):
    """Signs in with the authorization code the provider sent back (PKCE and nonce), after
    checking the id_token: its signature against the provider's keys, its issuer, audience
    (our client id) and expiry. The person is found by e-mail (``accounts.user_for``)."""

    get_settings = staticmethod(provider.oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are read when a provider's answer is there to check, not for every
        # password login (Django makes each backend for every attempt).
        self.UserModel = get_user_model()

    def _configure(self) -> None:
        get = provider.oidc_setting
        self.OIDC_OP_TOKEN_ENDPOINT = get("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = get("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = get("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = get("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = get("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = get("OIDC_RP_SIGN_ALGO")
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not provider.enabled() or "nonce" not in kwargs:
            return None
        try:
            self._configure()
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, ValueError, KeyError) as error:
            logger.warning("single sign-on refused: %s", error)
            refuse(request, token_refused())
            return None

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The id_token's claims, once its signature, issuer, audience and times check out
        (the library itself leaves the audience unchecked)."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"id_token signed with {algorithm!r}")
        issuer = provider.issuer()
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer or None,
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"id_token refused: {error}") from error
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        info = super().get_userinfo(access_token, id_token, payload)
        if str(info.get("sub", "")) != str(payload.get("sub", "")):
            raise SuspiciousOperation("userinfo is about someone else than the id_token")
        return info

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        info = self.get_userinfo(access_token, id_token, payload)
        email = str(info.get("email") or "").strip()
        if not email or info.get("email_verified") is False:
            refuse(
                self.request,
                _(
                    "Your identity provider did not share a verified e-mail address, so "
                    "Pacesetter cannot tell who you are."
                ),
            )
            return None
        name = str(info.get("name") or "").strip()
        try:
            return user_for(Claims(email=email, name=name), create=provider.sso().create_users)
        except Refused as refused:
            refuse(self.request, str(refused))
            return None
