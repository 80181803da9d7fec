"""Template tags that put realism chips and a rep's focus panel on pages other views own.

``{% goal_realism_chip goal %}`` shows a goal's chance of being met (goal page, check-in);
``{% focus_panel person %}`` shows a rep's focus area to those who may see it, with the
Accept button for those who may set goals for the rep. Each costs a handful of queries:
both pages show one goal or one person.
"""

from __future__ import annotations

from typing import Any

from django import template

from pacesetter.goals.focus import JUNIOR_MONTHS, focus_suggestion, tenure_months
from pacesetter.goals.models import Goal
from pacesetter.metrics.realism import goal_realism
from pacesetter.org.models import Person
from pacesetter.org.selectors import today_in_org

register = template.Library()


def _today(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "today", None) or today_in_org()


@register.inclusion_tag("web/_realism.html", takes_context=True)
def goal_realism_chip(context: template.Context, goal: Goal) -> dict[str, Any]:
    """The chance of meeting ``goal`` from its rep's own history (nothing for unit goals)."""
    found = goal_realism([goal], _today(context)).get(goal.pk)
    return {"realism": found, "detailed": True}


@register.inclusion_tag("web/focus_panel.html", takes_context=True)
def focus_panel(context: template.Context, person: Person) -> dict[str, Any]:
    """The focus area of a junior rep (or of any rep with ``?focus=any``), for the rep
    and whoever sees all of their goals; the Accept button for those who set them."""
    scope = context.get("scope")
    request = context.get("request")
    if scope is None or not scope.sees_person(person.pk):
        return {"hidden": True}
    today = _today(context)
    tenure = tenure_months(person, today)
    junior = tenure is not None and tenure < JUNIOR_MONTHS
    asked = request is not None and request.GET.get("focus") == "any"
    return {
        "suggestion": focus_suggestion(person, today) if junior or asked else None,
        "can_accept": scope.edits_person(person.pk),
        "person": person,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
