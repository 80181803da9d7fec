"""The sales-plan workbook on the web: download a plan's workbook and upload an edited one.

Admins get every team of the plan; a manager gets the teams of their own subtree, and may
upload changes to those teams only; reps are refused (403). A plan with no team in the
manager's subtree is a 404, as is ``?unit=`` naming a unit they may not see. An uploaded
workbook with problems shows them row by row and changes nothing; a good one becomes a new
draft version of the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pacesetter.goals.access import Scope
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Unit
from pacesetter.org.selectors import subtree_ids
from pacesetter.presentation import currency_symbol, metric_value, plain
from pacesetter.web.access import managers_only
from pacesetter.web.requests import ScopedRequest
from pacesetter.workbook import (
    XLSX_CONTENT_TYPE,
    PlanContents,
    plan_contents,
    plan_workbook_bytes,
    plan_workbook_import,
    workbook_filename,
)

BAR_HEIGHT = 48  # px: the tallest month of a team's chart
BAR_STEP = 14  # px from one month's bar to the next


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Edited workbook (.xlsx)"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only: list the changes, save nothing"), required=False
    )


def _units(scope: Scope, plan: Plan, unit: str | None) -> tuple[set[int] | None, list[Unit]]:
    """The units whose lines the user's workbook holds (None: all) and the plan's teams
    among them; 404 when there is no such team or ``unit`` is not the user's to see."""
    unit_ids: set[int] | None = None if scope.is_admin else set(scope.unit_ids)
    if unit:
        if not unit.isdigit() or not scope.sees_unit(int(unit)):
            raise Http404
        below = subtree_ids([int(unit)])
        unit_ids = below if unit_ids is None else unit_ids & below
    team_ids = PlanLine.objects.filter(plan=plan, level=PlanLine.Level.TEAM)
    if unit_ids is not None:
        team_ids = team_ids.filter(unit_id__in=unit_ids)
    teams = list(Unit.objects.filter(pk__in=team_ids.values("unit_id")).order_by("name"))
    if not teams:
        raise Http404
    return unit_ids, teams


@managers_only
def plan_workbook(request: ScopedRequest, pk: int) -> HttpResponse:
    """The workbook file: every team of the plan the user may see, or ``?unit=`` only."""
    plan = get_object_or_404(Plan, pk=pk)
    unit_ids, teams = _units(request.scope, plan, request.GET.get("unit"))
    data = plan_workbook_bytes(
        plan, unit_ids=unit_ids, today=request.today, exported_by=request.user.get_username()
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    single = teams[0].name if len(teams) == 1 else None
    filename = workbook_filename(plan, single)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@managers_only
def plan_workbook_upload(request: ScopedRequest, pk: int) -> HttpResponse:
    """The workbook page: download links, the team targets at a glance, and the upload."""
    plan = get_object_or_404(Plan, pk=pk)
    unit_ids, teams = _units(request.scope, plan, None)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            upload = form.cleaned_data["file"]
            result = plan_workbook_import(
                upload,
                by=request.user,
                unit_ids=unit_ids,
                plan=plan,
                dry_run=form.cleaned_data["dry_run"],
                filename=upload.name,
            )
            if result.plan is not None:
                messages.success(request, result.summary())
                if request.scope.is_admin:
                    return redirect("plan_detail", pk=result.plan.pk)
                return redirect("plan_workbook_upload", pk=result.plan.pk)
            status = 400 if result.errors else 200
    context = {
        "plan": plan,
        "teams": teams,
        "charts": team_charts(plan_contents(plan, unit_ids), _shown_as(plan)),
        "form": form,
        "result": result,
        "source": plan.inputs.get("workbook"),
    }
    return render(request, "web/plan_workbook.html", context, status=status)


def _shown_as(plan: Plan) -> Callable[[Decimal], str]:
    """How the plan's targets are written: in its metric's unit ($1,820,808.39 for revenue)."""
    metric = Metric.objects.filter(name=plan.metric).first()
    unit = metric.unit if metric else Metric.Unit.COUNT
    symbol = currency_symbol(OrgSettings.load().currency)
    return lambda value: metric_value(value, unit, symbol)


@dataclass(frozen=True)
class MonthBar:
    """One month of a team's bar chart, in SVG units."""

    label: str
    target: Decimal
    x: int
    height: int
    target_text: str = ""

    @property
    def y(self) -> int:
        return BAR_HEIGHT - self.height


@dataclass(frozen=True)
class TeamChart:
    unit: Unit
    reps: int
    year: Decimal
    bars: list[MonthBar]
    year_text: str = ""

    @property
    def width(self) -> int:
        return len(self.bars) * BAR_STEP

    @property
    def height(self) -> int:
        return BAR_HEIGHT


def team_charts(contents: PlanContents, show: Callable[[Decimal], str] = plain) -> list[TeamChart]:
    """Each team's monthly target as bars scaled to its busiest month (for a glance at
    the plan's seasonality and the team's share before downloading); ``show`` writes a
    target in the plan metric's unit."""
    charts = []
    for team in contents.teams:
        values = [team.target.get(m, Decimal(0)) for m in contents.months]
        top = max(values, default=Decimal(0)) or Decimal(1)
        bars = [
            MonthBar(
                date_format(m, "YEAR_MONTH_FORMAT"),
                v,
                i * BAR_STEP,
                max(1, round(v / top * BAR_HEIGHT)) if v else 0,
                show(v),
            )
            for i, (m, v) in enumerate(zip(contents.months, values, strict=True))
        ]
        year = sum(values, Decimal(0))
        charts.append(TeamChart(team.unit, len(team.reps), year, bars, show(year)))
    return charts
