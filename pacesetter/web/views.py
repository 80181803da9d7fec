"""Pages. Views stay thin: read the request, ask a selector or service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import profile_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    org = OrgSettings.load()
    today = timezone.now().astimezone(org.zone).date()
    profile = profile_for_user(request.user, today)
    return render(request, "web/home.html", {"org": org, "profile": profile, "today": today})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and the smoke test: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
