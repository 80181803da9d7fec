"""What the realism chip and a rep's focus panel show, computed by the views that own the pages
(goal, check-in, person, scorecard) and handed to the ``pacesetter_scorecards`` tags, which
only draw them. Each costs a handful of queries: those pages show one goal or one person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pacesetter.goals.access import Scope
from pacesetter.goals.focus import JUNIOR_MONTHS, FocusSuggestion, focus_suggestion, tenure_months
from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person, Role
from pacesetter.presentation import currency_symbol, metric_value
from pacesetter.tracking.realism import GoalRealism, goal_realism


def goal_chance(goal: Goal, today: dt.date) -> GoalRealism | None:
    """The chance of meeting ``goal`` from its rep's own history (None for unit goals), its
    explanation writing the target as the goal card does ("reached $22,045.86")."""
    symbol = currency_symbol(OrgSettings.load().currency)

    def target_text(found: Goal, metric: Metric) -> str:
        return metric_value(found.target, metric.unit, symbol)

    return goal_realism([goal], today, target_text=target_text).get(goal.pk)


@dataclass(frozen=True)
class FocusPanel:
    """A rep's focus area (None: not suggested, only offered on request) and whether the
    viewer may accept it as a goal."""

    person: Person
    suggestion: FocusSuggestion | None
    can_accept: bool


def focus_panel(scope: Scope, person: Person, today: dt.date, *, asked: bool) -> FocusPanel | None:
    """The focus panel of a junior rep (or of any rep when ``asked``), for the rep and whoever
    sees all of their goals; the Accept button for those who set them. None (no panel) for
    anyone else, and for people who are not reps (a manager's own scorecard): conversion
    stages are a rep's."""
    if not scope.sees_person(person.pk):
        return None
    if not Role.objects.filter(person=person, kind=Role.Kind.REP).exists():
        return None
    tenure = tenure_months(person, today)
    junior = tenure is not None and tenure < JUNIOR_MONTHS
    return FocusPanel(
        person=person,
        suggestion=focus_suggestion(person, today) if junior or asked else None,
        can_accept=scope.edits_person(person.pk),
    )
