"""Template tags that draw realism chips and a rep's focus panel on pages other views own.

``{% goal_realism_chip realism %}`` shows a goal's chance of being met (goal page, check-in);
``{% focus_panel focus %}`` shows a rep's focus area, with the Accept button when the viewer
may set goals for the rep. They only draw: the views compute what they show with
``web/panels.py`` (``goal_chance``, ``focus_panel``) and pass it in the context.
"""

from __future__ import annotations

from typing import Any

from django import template

from pacesetter.tracking.realism import GoalRealism
from pacesetter.web.panels import FocusPanel

register = template.Library()


@register.inclusion_tag("web/_realism.html")
def goal_realism_chip(realism: GoalRealism | None) -> dict[str, Any]:
    """The chip with its explanation (nothing without a realism, e.g. for unit goals)."""
    return {"realism": realism, "detailed": True}


@register.inclusion_tag("web/focus_panel.html", takes_context=True)
def focus_panel(context: template.Context, focus: FocusPanel | None) -> dict[str, Any]:
    """The focus panel (nothing when ``focus`` is None: not the viewer's to see, or not a
    rep)."""
    if focus is None:
        return {"hidden": True}
    return {
        "suggestion": focus.suggestion,
        "can_accept": focus.can_accept,
        "person": focus.person,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
