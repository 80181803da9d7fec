"""CRM sync (admins): the connectors, whether they are set up, their runs newest first
(started, rows, errors, cursor), and "Sync now", which queues a sync for the worker.
The credentials are never shown: only whether they are set."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pacesetter.integrations.connectors import CONNECTORS
from pacesetter.integrations.models import SyncRun
from pacesetter.integrations.schedule import configured, every_minutes
from pacesetter.integrations.tasks import sync_enqueue
from pacesetter.web.access import admins_only
from pacesetter.web.requests import ScopedRequest

SHOWN = 50
NAMES = {"hubspot": "HubSpot", "pipedrive": "Pipedrive", "salesforce": "Salesforce"}
# What to set to connect each CRM (the README's "Connecting your CRM" says where to get it).
SETTINGS = {
    "hubspot": "PACESETTER_HUBSPOT_TOKEN",
    "pipedrive": "PACESETTER_PIPEDRIVE_TOKEN",
    "salesforce": "PACESETTER_SALESFORCE_CLIENT_ID",
}


@admins_only
def sync(request: ScopedRequest) -> HttpResponse:
    ready = set(configured())
    runs = list(SyncRun.objects.all()[:SHOWN])
    connectors = [
        {"name": name, "label": NAMES.get(name, name), "ready": name in ready,
         "setting": SETTINGS.get(name, ""),
         "last": next((run for run in runs if run.connector == name), None)}
        for name in CONNECTORS
    ]  # fmt: skip
    for run in runs:
        run.label = NAMES.get(run.connector, run.connector)  # type: ignore[attr-defined]
    return render(
        request,
        "web/sync.html",
        {"connectors": connectors, "runs": runs, "every_minutes": every_minutes()},
    )


@require_POST
@admins_only
def sync_now(request: ScopedRequest, connector: str) -> HttpResponse:
    if connector not in CONNECTORS:
        raise Http404
    if connector not in configured():
        messages.error(request, _("This CRM is not set up: its credentials are not set."))
        return redirect("sync")
    full = request.POST.get("full") == "1"
    sync_enqueue(connector=connector, full=full, user=request.user)
    messages.info(request, _("The sync is queued: it appears below once the worker has run it."))
    return redirect("sync")
