"""The login page and the two legs of single sign-on: off to the provider
(``SsoStart``) and back (``SsoCallback``)."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from pacesetter.sso import provider
from pacesetter.sso.backends import REFUSAL

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """Django's login page with the provider's button; with PASSWORD_LOGIN=0 only the button
    is shown and a password sent anyway is refused (403)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_LOGIN:
            raise PermissionDenied(_("Passwords are switched off: sign in with the button."))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=provider.enabled(),
            sso_provider=provider.provider_name(),
            password_login=settings.PASSWORD_LOGIN,
        )
        return context


def _to_login(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


class SsoStart(OIDCAuthenticationRequestView):
    """Off to the provider, with a state, a nonce and a PKCE challenge kept in the session."""

    get_settings = staticmethod(provider.oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoints are read per request, below

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, KeyError) as error:
            logger.warning("the identity provider cannot be reached: %s", error)
            return _to_login(
                request,
                _("%(provider)s cannot be reached just now. Please try again later.")
                % {"provider": provider.provider_name()},
            )
        self.OIDC_RP_CLIENT_ID = provider.oidc_setting("OIDC_RP_CLIENT_ID")
        response: HttpResponse = super().get(request)
        return response


class SsoCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: the backend checks its answer; a refusal says why."""

    get_settings = staticmethod(provider.oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.enabled():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation as error:  # a state this browser never asked for
            logger.warning("single sign-on callback refused: %s", error)
            return self.login_failure()
        return response

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, REFUSAL, "")
        if not reason:
            user = getattr(self, "user", None)
            reason = (
                _("This login is switched off. Ask an admin.")
                if user is not None and not user.is_active
                else _("Signing in with %(provider)s did not finish. Please try again.")
                % {"provider": provider.provider_name()}
            )
        return _to_login(self.request, reason)
