"""Home: who I am, my goals (with this week's numbers) and my team's goals and leaderboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pacesetter import planning
from pacesetter.goals.access import Scope
from pacesetter.goals.models import Goal
from pacesetter.ledger.services import entries_save_week
from pacesetter.org.models import Role
from pacesetter.org.selectors import work_calendar
from pacesetter.web.access import scoped
from pacesetter.web.entries import entry_metrics, goals_moved_by
from pacesetter.web.forms.entries import WeeklyNumbersForm
from pacesetter.web.my_goals import (
    MyGoals,
    entry_week,
    goal_titles,
    my_goals,
    week_entries_initial,
)
from pacesetter.web.page_cache import kept_until_data_changes
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.rendering import page_or_fragment, wants_fragment


def _respond(request: ScopedRequest, page: MyGoals, form: WeeklyNumbersForm) -> HttpResponse:
    context = {"page": page, "form": form, "scope": request.scope}
    return page_or_fragment(request, "web/home.html", "web/_my_goals.html", context)


def _week(request: ScopedRequest, label: str, cal: planning.WorkCalendar) -> planning.Period:
    try:
        return entry_week(request.today, cal, label)
    except ValueError:
        raise Http404("no such week to enter numbers for") from None


def _blank_form(page: MyGoals) -> WeeklyNumbersForm:
    return WeeklyNumbersForm(
        metrics=page.entry_metrics, parts=page.week_parts, initial=week_entries_initial(page)
    )


def landing_url(scope: Scope) -> str | None:
    """Where a role starts when it opens Pacesetter, if not on My goals: a manager without
    goals of their own on their team's page, an admin without a team on the org's; a rep
    (and anyone with goals running today) on My goals (None)."""
    if not scope.is_manager or Role.Kind.REP in scope.roles or has_own_goals(scope):
        return None
    return reverse("team") if scope.managed_units else reverse("org")


def has_own_goals(scope: Scope) -> bool:
    """Whether the viewer has goals of their own running on the scope's day (one query)."""
    if scope.person is None:
        return False
    day = scope.day
    return Goal.objects.filter(
        person=scope.person, period_start__lte=day, period_end__gt=day
    ).exists()


@kept_until_data_changes
@require_GET
@scoped
def home(request: ScopedRequest) -> HttpResponse:
    if not request.GET and not wants_fragment(request):
        found = landing_url(request.scope)
        if found is not None:
            return redirect(found)
    label = request.GET.get("week", "")
    week = _week(request, label, work_calendar()) if label else None  # None: this week
    page = my_goals(request.scope, request.today, request.GET.get("period", ""), week)
    return _respond(request, page, _blank_form(page))


@require_POST
@scoped
def week_numbers(request: ScopedRequest) -> HttpResponse:
    """Save a week's numbers (the week the form showed, even if the day has turned since);
    answer with the refreshed goal list (htmx) or the page, naming the goals that moved."""
    person = request.scope.person
    if person is None:
        raise PermissionDenied
    cal = work_calendar()
    week = _week(request, request.POST.get("week", ""), cal)
    parts = planning.week_parts(week)
    metrics = entry_metrics()
    form = WeeklyNumbersForm(request.POST, metrics=metrics, parts=parts)
    moved = []
    if form.is_valid():
        changed = entries_save_week(person=person, week=week, values=form.values(), by=request.user)
        moved = goals_moved_by(person, changed, metrics)
        if not wants_fragment(request):
            messages.success(request, saved_message(moved, cal))
            return redirect(f"{reverse('home')}?week={week.label}")
    page = my_goals(request.scope, request.today, request.POST.get("period", ""), week)
    if form.is_valid():
        form = _blank_form(page)
        page.saved, page.moved = True, moved
    return _respond(request, page, form)


def saved_message(moved: list[Goal], cal: planning.WorkCalendar) -> str:
    """What the rep reads after saving: which goals the numbers moved (or that none did)."""
    if not moved:
        return _("Saved. No goal changed: the numbers were already there.")
    names = ", ".join(title for _pk, title in goal_titles(moved, cal))
    return _("Saved. Goals updated: %(goals)s.") % {"goals": names}


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and the smoke test: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
