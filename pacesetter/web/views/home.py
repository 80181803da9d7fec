"""Home: who I am, my goals (with this week's numbers) and my team's goals and leaderboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pacesetter import planning
from pacesetter.org.selectors import work_calendar
from pacesetter.web.access import scoped
from pacesetter.web.entries import entry_metrics, entry_save_week
from pacesetter.web.forms import WeeklyNumbersForm
from pacesetter.web.my_goals import MyGoals, my_goals, week_entries_initial
from pacesetter.web.views.rendering import page_or_fragment, wants_fragment


def _respond(request: HttpRequest, page: MyGoals, form: WeeklyNumbersForm) -> HttpResponse:
    context = {"page": page, "form": form, "scope": request.scope}
    return page_or_fragment(request, "web/home.html", "web/_my_goals.html", context)


@require_GET
@scoped
def home(request: HttpRequest) -> HttpResponse:
    page = my_goals(request.scope, request.today, request.GET.get("period", ""))
    form = WeeklyNumbersForm(metrics=page.entry_metrics, initial=week_entries_initial(page))
    return _respond(request, page, form)


@require_POST
@scoped
def week_numbers(request: HttpRequest) -> HttpResponse:
    """Save this week's numbers; answer with the refreshed goal list (htmx) or the page."""
    person = request.scope.person
    if person is None:
        raise PermissionDenied
    form = WeeklyNumbersForm(request.POST, metrics=entry_metrics())
    if form.is_valid():
        week = planning.week_of(request.today, work_calendar())
        for metric, value in form.values():
            entry_save_week(
                person=person, metric=metric, week_start=week.start, value=value, by=request.user
            )
        if not wants_fragment(request):
            messages.success(request, _("This week's numbers are saved."))
            return redirect("home")
    page = my_goals(request.scope, request.today, request.POST.get("period", ""))
    if form.is_valid():
        form = WeeklyNumbersForm(metrics=page.entry_metrics, initial=week_entries_initial(page))
        page.saved = True
    return _respond(request, page, form)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and the smoke test: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
