"""Plans (admin): list, build a cascade scenario, look at its lines, compare two, activate."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pacesetter.explanations import message_of
from pacesetter.goals.errors import GoalError
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.goals.selectors import plan_compare
from pacesetter.goals.services import (
    CascadeOptions,
    plan_activate,
    plan_activation_preview,
    plan_create_cascade,
)
from pacesetter.web.access import admins_only
from pacesetter.web.forms.plans import CompareForm, PlanForm
from pacesetter.web.requests import ScopedRequest

LEVELS = [level for level, _label in PlanLine.Level.choices]


@admins_only
def plan_list(request: ScopedRequest) -> HttpResponse:
    plans = Plan.objects.select_related("created_by")
    return render(request, "web/plans.html", {"plans": plans, "form": _compare_form(None)})


@require_http_methods(["GET", "POST"])
@admins_only
def plan_new(request: ScopedRequest) -> HttpResponse:
    initial = {"year": request.today.year + 1, "seasonality": "flat"}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        drag = (d["drag_percent"] / 100, d["drag_months"]) if d["drag_months"] else None
        try:
            plan = plan_create_cascade(
                name=d["name"],
                year=d["year"],
                annual_target=d["annual_target"],
                options=CascadeOptions(
                    seasonality=d["seasonality"],
                    ramp=d["ramp"],
                    drag=drag,
                    over_assign=d["over_assign"],
                ),
                created_by=request.user,
            )
        except ValueError as error:
            form.add_error(None, message_of(error))
        else:
            return redirect("plan_detail", pk=plan.pk)
    return render(request, "web/plan_new.html", {"form": form})


@admins_only
def plan_detail(request: ScopedRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    level = request.GET.get("level", "company")
    if level not in LEVELS:
        raise Http404
    lines = plan.lines.filter(level=level).select_related("unit", "person", "seat")
    page = Paginator(lines.order_by("unit__name", "person__full_name", "month"), 120)
    context = {
        "plan": plan,
        "level": level,
        "levels": PlanLine.Level.choices,
        "lines": page.get_page(request.GET.get("page")),
        "counts": {k: plan.lines.filter(level=k).count() for k in LEVELS},
    }
    return render(request, "web/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
@admins_only
def plan_activate_view(request: ScopedRequest, pk: int) -> HttpResponse:
    """What activating the plan would do, month by month (GET); activate it once the admin
    confirms that very preview (POST)."""
    plan = get_object_or_404(Plan, pk=pk)
    error = None
    if request.method == "POST":
        try:
            counts = plan_activate(
                plan=plan,
                by=request.user,
                today=request.today,
                confirmed=request.POST.get("fingerprint", ""),
            )
        except GoalError as refused:
            error = str(refused)
        else:
            messages.success(request, _activated(plan, counts))
            return redirect("plan_detail", pk=plan.pk)
    preview = plan_activation_preview(plan=plan, today=request.today)
    context = {"plan": plan, "preview": preview, "totals": preview.totals, "error": error}
    return render(request, "web/plan_activate.html", context)


def _activated(plan: Plan, counts: dict[str, int]) -> str:
    text = _(
        "%(plan)s is active: %(created)d goals created, %(changed)d changed, %(unchanged)d "
        "unchanged."
    ) % {"plan": plan.label, **counts}
    if counts["kept_closed"]:
        text += " " + _("%(kept)d goals of closed months were kept as they are.") % {
            "kept": counts["kept_closed"]
        }
    return text


def _compare_form(data: dict | None) -> CompareForm:
    """Plan A and plan B, by default two different plans: the active one (else the second
    newest) against the newest other."""
    listed = list(Plan.objects.all())
    plans = [(p.pk, f"{p.label} ({p.get_status_display()})") for p in listed]
    initial = {}
    if len(listed) > 1:
        active = next((p for p in listed if p.status == Plan.Status.ACTIVE), listed[1])
        newest_other = next(p for p in listed if p.pk != active.pk)
        initial = {"a": active.pk, "b": newest_other.pk}
    return CompareForm(data, plans=plans, initial=initial)


@admins_only
def plan_compare_view(request: ScopedRequest) -> HttpResponse:
    form = _compare_form(request.GET or None)
    rows = None
    if form.is_bound and form.is_valid():
        a = Plan.objects.get(pk=form.cleaned_data["a"])
        b = Plan.objects.get(pk=form.cleaned_data["b"])
        level = request.GET.get("level", "company")
        rows = [r for r in plan_compare(a, b) if r.level == level]
        if form.cleaned_data["changed"]:
            rows = [r for r in rows if r.a != r.b]
        rows = rows[:600]
    return render(
        request,
        "web/plan_compare.html",
        {
            "form": form,
            "rows": rows,
            "levels": PlanLine.Level.choices,
            "level": request.GET.get("level", "company"),
        },
    )
