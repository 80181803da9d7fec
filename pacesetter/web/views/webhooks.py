"""Webhooks (admins): the endpoints, each one's recent deliveries and their attempts, a form
to add an endpoint (its signing secret is shown on the answer to that form, once) and a
switch to turn one off or on."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pacesetter.hooks.models import Attempt, Delivery, Endpoint, EventType
from pacesetter.hooks.services import endpoint_create, endpoint_set_enabled
from pacesetter.web.access import admins_only
from pacesetter.web.forms.webhooks import EndpointForm
from pacesetter.web.requests import ScopedRequest

SHOWN = 50  # recent deliveries


def _page(request: ScopedRequest, form: EndpointForm, secret: str = "") -> HttpResponse:
    labels = dict(EventType.choices)
    endpoints = [
        {"endpoint": e, "events": [labels.get(k, k) for k in e.events]}
        for e in Endpoint.objects.all()
    ]
    deliveries = Delivery.objects.select_related("endpoint").prefetch_related(
        Prefetch("log", queryset=Attempt.objects.order_by("number"))
    )[:SHOWN]
    response = render(
        request,
        "web/webhooks.html",
        {"endpoints": endpoints, "deliveries": deliveries, "form": form, "secret": secret},
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@admins_only
def webhooks(request: ScopedRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, EndpointForm())
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    endpoint, secret = endpoint_create(
        name=form.cleaned_data["name"],
        url=form.cleaned_data["url"],
        events=form.cleaned_data["events"],
        created_by=request.user,
    )
    messages.success(request, _("Endpoint %(name)s added.") % {"name": endpoint.name})
    return _page(request, EndpointForm(), secret)


@require_POST
@admins_only
def webhook_enabled(request: ScopedRequest, pk: int) -> HttpResponse:
    endpoint = Endpoint.objects.filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    endpoint_set_enabled(endpoint=endpoint, enabled=request.POST.get("enabled") == "1")
    return redirect("webhooks")
