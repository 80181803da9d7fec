"""Goals: one goal with its history and the target form; new goals; waterfall; funnel."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pacesetter import planning
from pacesetter.coaching.services import checkin_record
from pacesetter.explanations import message_of
from pacesetter.goals.access import Scope
from pacesetter.goals.errors import GoalExists, PeriodClosed, StaleGoal, goal_period_label
from pacesetter.goals.funnel_history import blended_funnel
from pacesetter.goals.models import Goal
from pacesetter.goals.periods import Freezer
from pacesetter.goals.services import waterfall_goals_create
from pacesetter.goals.setting import (
    GoalError,
    GoalSpec,
    funnel_goals_create,
    goal_create,
    goal_update,
    team_goals_create,
)
from pacesetter.org.models import OrgSettings, Person, Role, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.planning.calendar import add_months
from pacesetter.presentation import currency_symbol
from pacesetter.tracking.forecast import goal_forecast
from pacesetter.tracking.progress import goal_progress
from pacesetter.tracking.trends import goal_trends
from pacesetter.web.access import goal_or_404, managers_only, scoped
from pacesetter.web.cards import cards_for, history_rows
from pacesetter.web.forms.goals import CheckInForm, FunnelForm, GoalForm, TargetForm, WaterfallForm
from pacesetter.web.pace import pace_text
from pacesetter.web.panels import goal_chance
from pacesetter.web.requests import ScopedRequest


def _people(scope: Scope) -> list[tuple[int, str]]:
    reps = Role.objects.filter(kind=Role.Kind.REP).values("person_id")
    return [(p.pk, p.full_name) for p in scope.editable_people().filter(pk__in=reps)]


def _units(scope: Scope) -> list[tuple[int, str]]:
    return [(u.pk, u.name) for u in scope.editable_units()]


def _prefilled(request: ScopedRequest, goal: Goal) -> dict[str, object]:
    """The target form's first values: the goal's, or those "Set a goal" was given for a goal
    that exists (``?target=…&priority=…``), and the version the page shows."""
    initial: dict[str, object] = {
        "target": goal.target,
        "priority": goal.priority,
        "version": goal.version,
    }
    given = TargetForm(
        {"target": request.GET.get("target"), "priority": request.GET.get("priority")}
    )
    given.is_valid()
    initial.update({k: v for k, v in given.cleaned_data.items() if k in ("target", "priority")})
    return initial


def _target_form(request: ScopedRequest, goal: Goal) -> TargetForm | HttpResponse:
    """The "Change the target" form; after a saved change, the redirect."""
    form = TargetForm(request.POST or None, initial=_prefilled(request, goal))
    if request.method != "POST" or not form.is_valid():
        return form
    d = form.cleaned_data
    try:
        goal_update(
            goal=goal,
            target=d["target"],
            priority=d["priority"],
            reason=d["reason"],
            by=request.user,
            based_on=d["version"],
            today=request.today,
        )
    except StaleGoal as error:
        form = form.based_on(error.goal.version)
        form.add_error(None, str(error))
        return form
    except GoalError as error:
        form.add_error(None, str(error))
        return form
    messages.success(request, _("The target is changed; the history keeps the old one."))
    return redirect("goal_detail", pk=goal.pk)


@require_http_methods(["GET", "POST"])
@scoped
def goal_detail(request: ScopedRequest, pk: int) -> HttpResponse:
    scope = request.scope
    goal = goal_or_404(scope, pk)
    form = None
    frozen = Freezer(request.today).frozen(goal.period_start, goal.period_end)
    if scope.edits_goal(goal) and not frozen:
        answer = _target_form(request, goal)
        if isinstance(answer, HttpResponse):
            return answer
        form = answer
        goal.refresh_from_db()  # a refused stale edit shows the goal as it is now
    elif request.method == "POST":
        if frozen and scope.edits_goal(goal):
            messages.error(request, str(PeriodClosed(goal_period_label(goal))))
            return redirect("goal_detail", pk=goal.pk)
        raise PermissionDenied
    progress = goal_progress([goal], request.today)
    trends = goal_trends([goal], request.today)
    card = cards_for(progress, work_calendar(), trends=trends)[0]
    history = history_rows(
        goal.history.select_related("goal", "changed_by").order_by("-changed_at", "-id")
    )
    context = {
        "card": card,
        "goal": goal,
        "form": form,
        "frozen": frozen and scope.edits_goal(goal),
        "history": history,
        "scope": scope,
        "checkins": goal.check_ins.all()[:20],
        "realism": goal_chance(goal, request.today),
        "forecast": goal_forecast(progress[0], request.today),
    }
    return render(request, "web/goal.html", context)


@require_http_methods(["GET", "POST"])
@scoped
def goal_checkin(request: ScopedRequest, pk: int) -> HttpResponse:
    """The rep says how they feel about their goal: realistic, challenging, achievable."""
    scope = request.scope
    goal = goal_or_404(scope, pk)
    if scope.person is None or goal.person_id != scope.person.pk:
        raise PermissionDenied
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checkin_record(person=scope.person, goal=goal, by=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you: your manager sees your answers."))
        return redirect("home")
    card = cards_for(goal_progress([goal], request.today), work_calendar())[0]
    context = {
        "form": form,
        "card": card,
        "goal": goal,
        "realism": goal_chance(goal, request.today),
    }
    return render(request, "web/checkin.html", context)


@require_http_methods(["GET", "POST"])
@managers_only
def goal_new(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    initial: dict[str, str | int] = {"period": planning.month_of(request.today).label}
    for key in ("person", "unit"):  # "set a goal" links from a rep's or a team's page
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
            initial["assign_to"] = key
    form = GoalForm(
        request.POST or None,
        initial=initial,
        people=_people(scope),
        units=_units(scope),
        cal=work_calendar(),
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        spec = GoalSpec(
            d["metric"],
            d["kind"],
            d["period_obj"],
            d["target"],
            d["priority"],
            d["note"],
            d["stretch_percent"],
        )
        try:
            return _set_goals(request, spec, d)
        except GoalExists as error:
            form.add_error(None, str(error))
            existing = error.goal
        except GoalError as error:
            form.add_error(None, str(error))
    change_url = None
    if existing is not None and scope.edits_goal(existing):
        query = urlencode({"target": form.cleaned_data["target"],
                           "priority": form.cleaned_data["priority"]})  # fmt: skip
        change_url = f"{reverse('goal_detail', args=[existing.pk])}?{query}#edit-target"
    context = {"form": form, "scope": scope, "existing": existing, "change_url": change_url}
    return render(request, "web/goal_new.html", context)


def _set_goals(request: ScopedRequest, spec: GoalSpec, d: dict) -> HttpResponse:
    """Set the goal the form asks for; the page to go to next, with what was done."""
    if d["assign_to"] == "person":
        goal, _new = goal_create(
            spec=spec, person=Person.objects.get(pk=d["person"]), by=request.user
        )
        messages.success(request, _("The goal is set."))
        return redirect("goal_detail", pk=goal.pk)
    unit = Unit.objects.get(pk=d["unit"])
    if d["assign_to"] == "unit":
        goal, _new = goal_create(spec=spec, unit=unit, by=request.user)
        messages.success(request, _("The goal is set."))
        return redirect("goal_detail", pk=goal.pk)
    team = team_goals_create(spec=spec, unit=unit, day=request.today, by=request.user)
    messages.success(request, _("%(n)d goals set, one for each rep.") % {"n": len(team.created)})
    if team.existing:
        names = ", ".join(str(g.person) for g in team.existing)
        messages.warning(
            request,
            _("%(names)s had this goal already: theirs were left as they are. Change them on "
              "their goal pages, with a reason.") % {"names": names},
        )  # fmt: skip
    return redirect("unit_team", pk=unit.pk)


@require_http_methods(["GET", "POST"])
@managers_only
def goal_waterfall(request: ScopedRequest) -> HttpResponse:
    scope = request.scope
    cal = work_calendar()
    initial = {"start": planning.week_of(request.today, cal).end, "every": "week"}
    form = WaterfallForm(
        request.POST or None, initial=initial, people=_people(scope), units=_units(scope)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            steps = planning.waterfall(
                d["baseline"],
                d["target"],
                step=d["step"],
                percent=d["percent"],
                steps=d["steps"],
                every=d["every"],
                start=d["start"],
                cal=cal,
            )
        except ValueError as error:
            form.add_error(None, message_of(error))
        else:
            person = Person.objects.filter(pk=d["person"]).first() if d["person"] else None
            unit = Unit.objects.filter(pk=d["unit"]).first() if d["unit"] else None
            try:
                goals = waterfall_goals_create(
                    metric=d["metric"],
                    steps=steps,
                    every=d["every"],
                    person=person,
                    unit=unit,
                    by=request.user,
                )
            except GoalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(n)d steps set.") % {"n": len(goals)})
                return redirect("goal_detail", pk=goals[0].pk)
    return render(request, "web/goal_waterfall.html", {"form": form, "scope": scope})


def _funnel(
    person: Person, d: dict, rates: list[str] | None, today: dt.date
) -> tuple[planning.FunnelResult, planning.Explanation | None]:
    """The reverse funnel from the rates and deal size given, or from the rep's history."""
    symbol = currency_symbol(OrgSettings.load().currency)
    if rates and d["deal_size"]:
        return planning.reverse_funnel(d["revenue"], d["deal_size"], rates, symbol), None
    funnel = blended_funnel(person, today, given_rates=rates)
    deal_size = d["deal_size"] or funnel.deal_size
    result = planning.reverse_funnel(d["revenue"], deal_size, list(funnel.rates), symbol)
    return result, funnel.explanation


@require_http_methods(["GET", "POST"])
@managers_only
def goal_funnel(request: ScopedRequest) -> HttpResponse:
    """M4: propose (GET) and set (POST) the activity goals a revenue goal takes."""
    scope = request.scope
    data = request.POST if request.method == "POST" else (request.GET or None)
    initial = {"period": add_months(planning.month_of(request.today).start, 1).strftime("%Y-%m")}
    form = FunnelForm(data, initial=initial, people=_people(scope))
    result = blend = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        person = Person.objects.get(pk=d["person"])
        try:
            result, blend = _funnel(person, d, form.given_rates(), request.today)
        except ValueError as error:
            form.add_error(None, message_of(error))
        else:
            if request.method == "POST":
                try:
                    funnel_goals_create(
                        person=person, period=d["period"], needed=result.needed, by=request.user
                    )
                except GoalError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request, _("Activity goals set for %(name)s.") % {"name": person}
                    )
                    return redirect("person_detail", pk=person.pk)
    rows = _funnel_rows(result, form.cleaned_data["period"]) if result else None
    context = {"form": form, "result": result, "blend": blend, "rows": rows, "scope": scope}
    return render(request, "web/goal_funnel.html", context)


def _funnel_rows(result: planning.FunnelResult, period: planning.Period) -> list[tuple]:
    """Each stage: the month's count, per week, per working day, and how it was worked out."""
    cal = work_calendar()
    weeks = len(planning.weeks_of(period, cal))
    days = planning.working_day_count(period, cal) or 1
    return [
        (stage, n, pace_text(n, weeks, "week"), pace_text(n, days, "day"), how)
        for (stage, n), how in zip(result.needed.items(), result.explanation, strict=True)
    ]
