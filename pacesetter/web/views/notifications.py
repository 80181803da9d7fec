"""Notifications: a person's own notices, newest first (mark one or all read), and their
choice of how to hear of each kind. Nobody sees or marks anyone else's: every query is cut
to the viewer's person, and another's notice answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pacesetter.notifications.kinds import kind_label, text_of
from pacesetter.notifications.models import Notification
from pacesetter.notifications.selectors import notifications_of, preferences_of
from pacesetter.notifications.services import mark_all_read, mark_read, preferences_save
from pacesetter.org.models import Person
from pacesetter.web.access import scoped
from pacesetter.web.forms.notifications import NotificationSettingsForm
from pacesetter.web.requests import ScopedRequest

PER_PAGE = 25


def _person(request: ScopedRequest) -> Person:
    """The viewer's person: a login without one has no notices (404)."""
    person = request.scope.person
    if person is None:
        raise Http404
    return person


@scoped
def notifications(request: ScopedRequest) -> HttpResponse:
    person = request.scope.person
    shown = notifications_of(person.pk) if person is not None else Notification.objects.none()
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"notice": n, "label": kind_label(n.kind), "text": text_of(n.kind, n.params)} for n in page
    ]
    return render(request, "web/notifications.html", {"page": page, "rows": rows})


@require_POST
@scoped
def notification_read(request: ScopedRequest, pk: int) -> HttpResponse:
    person = _person(request)
    if (
        not mark_read(person_id=person.pk, ids=[pk])
        and not notifications_of(person.pk).filter(pk=pk).exists()
    ):
        raise Http404  # not theirs (or not there): nothing said about it
    return _back(request)


@require_POST
@scoped
def notifications_read_all(request: ScopedRequest) -> HttpResponse:
    person = _person(request)
    count = mark_all_read(person_id=person.pk)
    if count:
        messages.info(request, _("All notifications are marked read."))
    return _back(request)


def _back(request: ScopedRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    response = redirect("notifications")
    if page.isdigit():
        response["Location"] += f"?page={page}"
    return response


@scoped
def notification_settings(request: ScopedRequest) -> HttpResponse:
    person = _person(request)
    current = preferences_of(person.pk)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, current=current)
        if form.is_valid():
            preferences_save(person_id=person.pk, choices=form.choices())
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_settings")
    else:
        form = NotificationSettingsForm(current=current)
    return render(
        request, "web/notifications_settings.html", {"form": form, "has_email": bool(person.email)}
    )
