"""The API tokens page: a user makes personal access tokens (each shown once, when made)
and revokes them. Every logged-in user may; each sees and revokes only their own."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pacesetter.api.models import AccessToken
from pacesetter.api.tokens import token_create, token_revoke, tokens_of
from pacesetter.goals.access import visible_scope

LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("a year")),
    ("0", _("never (until revoked)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Nightly report”."),
    )
    expires = forms.ChoiceField(label=_("Expires after"), choices=LIFETIMES, initial="90")

    def expires_at(self) -> dt.datetime | None:
        days = int(self.cleaned_data["expires"])
        return timezone.now() + dt.timedelta(days=days) if days else None


@require_http_methods(["GET", "POST"])
@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    zone = getattr(request, "org_zone", None)
    cast(Any, request).scope = visible_scope(user, timezone.localdate(timezone=zone))
    form = TokenForm(request.POST if request.POST.get("action") == "create" else None)
    shown = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = AccessToken.objects.filter(pk=_int(request.POST.get("token")), user=user).first()
        if token is None:
            raise Http404
        token_revoke(token=token)
        messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("api_tokens")
    if request.method == "POST" and form.is_valid():
        shown = token_create(
            user=user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        form = TokenForm()
    context = {"form": form, "tokens": tokens_of(user), "shown": shown, "now": timezone.now()}
    return render(request, "api/tokens.html", context)


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 10 else 0
