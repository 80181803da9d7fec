"""A person's scorecard (M3), and accepting a junior rep's focus goal.

The scorecard is for the person, their managers (the subtree) and admins; anyone else gets
a 404, as for any object outside their scope. Accepting a focus goal is a manager's or an
admin's act: a rep may see their own suggestion but gets a 403 for accepting it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pacesetter import planning
from pacesetter.coaching.selectors import scorecards_with_mentees
from pacesetter.explanations import message_of
from pacesetter.goals.access import Scope
from pacesetter.goals.focus import focus_accept, focus_suggestion
from pacesetter.org.models import OrgSettings, Person
from pacesetter.org.selectors import work_calendar
from pacesetter.planning import PlanningError
from pacesetter.planning.calendar import add_months
from pacesetter.web.access import scoped
from pacesetter.web.panels import focus_panel
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.rendering import bad_request


@dataclass(frozen=True)
class Gauge:
    """A half-circle gauge of a score: the arc's path and its colour (the pace thresholds)."""

    percent: Decimal | None
    arc: str
    status: str

    @classmethod
    def of(cls, percent: Decimal | None, on_track: int, at_risk: int) -> Gauge:
        if percent is None:
            return cls(None, "", "none")
        share = min(Decimal(1), max(Decimal(0), percent / 100))
        angle = math.pi * (1 - float(share))  # from the left end (π) clockwise to the right (0)
        x, y = 60 + 50 * math.cos(angle), 60 - 50 * math.sin(angle)
        arc = f"M 10 60 A 50 50 0 0 1 {x:.2f} {y:.2f}" if share else ""
        status = (
            "on_track" if percent >= on_track else "at_risk" if percent >= at_risk else "behind"
        )
        return cls(percent, arc, status)


def _person_in_scope(scope: Scope, pk: int) -> Person:
    """The person's scorecard and focus are for themselves, their managers and admins."""
    if not scope.sees_person(pk):
        raise Http404
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def _period(text: str, today_period: planning.Period) -> planning.Period:
    if not text:
        return today_period
    try:
        period = planning.parse_period(text, work_calendar())
    except ValueError:
        raise Http404 from None
    if period.kind not in ("month", "week"):
        raise Http404
    return period


@require_GET
@scoped
def person_scorecard(request: ScopedRequest, pk: int) -> HttpResponse:
    scope = request.scope
    person = _person_in_scope(scope, pk)
    period = _period(request.GET.get("period", ""), planning.month_of(request.today))
    month_start = planning.month_of(period.start).start
    try:
        previous = planning.month_of(add_months(month_start, -1)).label
        following = planning.month_of(add_months(month_start, 1)).label
    except PlanningError as error:  # the calendar's first or last month (0001-01)
        return bad_request(request, message_of(error))
    card = scorecards_with_mentees([person.pk], period, request.today)[person.pk]
    org = OrgSettings.load()
    context = {
        "scope": scope,
        "person": person,
        "card": card,
        "gauge": Gauge.of(card.score, org.pace_on_track, org.pace_at_risk),
        "previous": previous,
        "next": following,
        "is_current": period.start <= request.today < period.end,
        "focus": focus_panel(scope, person, request.today, asked=request.GET.get("focus") == "any"),
    }
    return render(request, "web/scorecard.html", context)


@require_POST
@scoped
def person_focus_accept(request: ScopedRequest, pk: int) -> HttpResponse:
    """Set the focus goal proposed for the rep (once; again changes nothing)."""
    scope = request.scope
    person = _person_in_scope(scope, pk)
    if not scope.edits_person(person.pk):
        raise PermissionDenied
    suggestion = focus_suggestion(person, request.today)
    try:
        goal, created = focus_accept(suggestion=suggestion, by=request.user)
    except ValueError:
        messages.error(request, _("There is no focus goal to set for %(name)s.") % {"name": person})
        return redirect("person_detail", pk=person.pk)
    if created:
        messages.success(request, _("Focus goal set for %(name)s.") % {"name": person})
    else:
        messages.info(request, _("%(name)s already has this goal.") % {"name": person})
    return redirect("goal_detail", pk=goal.pk)
