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
from pacesetter.metrics.formatting import currency_symbol
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person, Role
from pacesetter.org.selectors import today_in_org
from pacesetter.planning.money import format_plain
from pacesetter.tracking.realism import GoalRealism, goal_realism
from pacesetter.web.cards import show_value

register = template.Library()


def _today(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "today", None) or today_in_org()


def _explanation(found: GoalRealism) -> str:
    """The realism's explanation with the goal's target written as the goal card writes
    it ("reached $22,045.86", not "reached 22045.86")."""
    text = found.explanation
    goal = found.goal
    plain = format_plain(goal.target)
    metric = Metric.objects.filter(name=goal.metric).first()
    if metric is None or not text.endswith(f" {plain}"):
        return text
    shown = show_value(goal.target, metric.unit, currency_symbol(OrgSettings.load().currency))
    return text[: -len(plain)] + shown


@register.inclusion_tag("web/_realism.html", takes_context=True)
def goal_realism_chip(context: template.Context, goal: Goal) -> dict[str, Any]:
    """The chance of meeting ``goal`` from its rep's own history (nothing for unit goals)."""
    found = goal_realism([goal], _today(context)).get(goal.pk)
    text = _explanation(found) if found is not None else ""
    return {"realism": found, "realism_text": text, "detailed": True}


@register.inclusion_tag("web/focus_panel.html", takes_context=True)
def focus_panel(context: template.Context, person: Person) -> dict[str, Any]:
    """The focus area of a junior rep (or of any rep with ``?focus=any``), for the rep
    and whoever sees all of their goals; the Accept button for those who set them. People
    who are not reps (a manager's own scorecard) get no panel."""
    scope = context.get("scope")
    request = context.get("request")
    if scope is None or not scope.sees_person(person.pk):
        return {"hidden": True}
    if not Role.objects.filter(person=person, kind=Role.Kind.REP).exists():
        return {"hidden": True}  # conversion stages are a rep's: nothing to say of a manager
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
