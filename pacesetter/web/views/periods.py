"""Closed periods (admin): the goals of an ended period are frozen; an admin re-opens a
period, with a reason, so that they may change, and closes it again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pacesetter.goals.errors import GoalError
from pacesetter.goals.models import PeriodReopening
from pacesetter.goals.periods import period_close, period_reopen
from pacesetter.org.selectors import work_calendar
from pacesetter.web.access import admins_only
from pacesetter.web.forms.plans import ReopenForm
from pacesetter.web.requests import ScopedRequest


@require_http_methods(["GET", "POST"])
@admins_only
def periods(request: ScopedRequest) -> HttpResponse:
    form = ReopenForm(request.POST or None, cal=work_calendar())
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            period_reopen(
                period=period,
                reason=form.cleaned_data["reason"],
                by=request.user,
                today=request.today,
            )
        except GoalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(period)s is re-opened: its goals may change until you close it again.")
                % {"period": period.label},
            )
            return redirect("periods")
    reopenings = PeriodReopening.objects.select_related("reopened_by__person")[:200]
    return render(request, "web/periods.html", {"form": form, "reopenings": reopenings})


@require_POST
@admins_only
def period_close_view(request: ScopedRequest, pk: int) -> HttpResponse:
    reopening = get_object_or_404(PeriodReopening, pk=pk)
    try:
        period_close(reopening=reopening, by=request.user, today=request.today)
    except GoalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The period is closed again: its goals are frozen."))
    return redirect("periods")
