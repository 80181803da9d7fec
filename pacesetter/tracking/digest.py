"""The manager's digest (M6): who needs a conversation now — the same risk list as the team
page (``tracking.risk``: the reps whose top goals are likely to be missed and can still be
saved, the most at stake first, each with the one thing to do and why). Each manager gets
their own subtree only, in their own language (``Person.language``, set by the pages'
language switcher or in the admin; empty: the site's).

Progress and risk are computed once for every goal of the month (a few queries), then cut
per manager.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pacesetter import planning
from pacesetter.explanations import show
from pacesetter.goals.models import Goal
from pacesetter.metrics.engine import Window
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit
from pacesetter.org.selectors import subtrees
from pacesetter.planning.explain import Items
from pacesetter.tracking.collective import CollectiveStatus, collective_status
from pacesetter.tracking.leaderboard import Standing, team_leaderboard
from pacesetter.tracking.progress import (
    AT_RISK,
    BEHIND,
    GoalProgress,
    goal_progress,
    sort_for_attention,
)
from pacesetter.tracking.risk import RepRisk, risk_list
from pacesetter.tracking.selectors import goals_overlapping

LEADERBOARD_METRIC = "meetings_booked"


@dataclass
class Digest:
    manager: Person
    units: list[Unit]
    month: planning.Period
    today: dt.date
    attention: list[RepRisk] = field(default_factory=list)  # the risk list, most at stake first
    on_pace: list[GoalProgress] = field(default_factory=list)
    # Behind their pace but not on the risk list: early in the period, out of reach, without
    # history, or not among the rep's most important goals (counted, not listed).
    off_pace: list[GoalProgress] = field(default_factory=list)
    unit_goals: list[GoalProgress] = field(default_factory=list)
    leaderboards: list[tuple[Unit, list[Standing]]] = field(default_factory=list)
    collectives: list[CollectiveStatus] = field(default_factory=list)  # M9: all or nothing

    @property
    def off_pace_reps(self) -> int:
        """How many reps have a goal behind its pace that the risk list does not name."""
        return len({p.goal.person_id for p in self.off_pace})

    @property
    def language(self) -> str:
        """The manager's language (``Person.language``; empty: the site's)."""
        return self.manager.language_code

    @property
    def subject(self) -> str:
        """The e-mail's subject, in the active language."""
        people = len(self.attention)
        need = ngettext(
            "%(count)s rep needs a conversation", "%(count)s reps need a conversation", people
        ) % {"count": people}
        names = show(Items(tuple(u.name for u in self.units), "comma"))
        return _("Pacesetter — %(units)s: %(need)s (%(month)s)") % {
            "units": names,
            "need": need,
            "month": self.month.label,
        }


def build_digests(today: dt.date, managers: list[Person] | None = None) -> list[Digest]:
    """One digest per manager (or per given manager), each limited to their subtree."""
    by_manager = _managed_units(managers)
    if not by_manager:
        return []
    month = planning.month_of(today)
    trees = subtrees({u.pk for units in by_manager.values() for u in units})
    memberships = list(
        Membership.objects.filter(unit_id__in=set().union(*trees.values()))
        .overlapping(month.start, month.end)
        .values_list("unit_id", "person_id")
    )
    goals = list(goals_overlapping(month.start, month.end, ordered=False))
    progress = goal_progress(goals, today)
    risks = risk_list(progress, today)
    # Collective goals: who has met their own goal and who the team still waits for.
    collectives = collective_status([g for g in goals if g.kind == Goal.Kind.COLLECTIVE], today)
    meetings = Metric.objects.filter(name=LEADERBOARD_METRIC).first()
    window = Window(month.start, month.end)
    digests = []
    for manager, units in by_manager.items():
        unit_ids = set().union(*(trees[u.pk] for u in units))
        people = {person for unit, person in memberships if unit in unit_ids}
        people.discard(manager.pk)
        mine = [p for p in progress if p.goal.person_id in people or p.goal.unit_id in unit_ids]
        digest = Digest(manager, units, month, today)
        digest.collectives = sorted(
            (c for c in collectives.values() if c.goal.unit_id in unit_ids),
            key=lambda c: (c.met, c.unit.name, c.goal.metric),
        )
        _file(digest, sort_for_attention(mine))
        digest.attention = [r for r in risks if r.person.pk in people]
        listed = {r.goal.pk for rep in digest.attention for r in rep.goals}
        digest.off_pace = [p for p in digest.off_pace if p.goal.pk not in listed]
        if meetings is not None:
            digest.leaderboards = _leaderboards(meetings, units, trees, window, today)
        digests.append(digest)
    return digests


def _managed_units(managers: list[Person] | None) -> dict[Person, list[Unit]]:
    """The units each manager (or each given manager) manages, by name."""
    roles = Role.objects.filter(kind=Role.Kind.MANAGER).select_related("person", "unit")
    if managers is not None:
        roles = roles.filter(person__in=managers)
    by_manager: dict[Person, list[Unit]] = {}
    for role in roles.order_by("person__full_name", "unit__name"):
        assert role.unit is not None  # a manager's role names a unit (role_has_its_object)
        by_manager.setdefault(role.person, []).append(role.unit)
    return by_manager


def _file(digest: Digest, progress: list[GoalProgress]) -> None:
    """The manager's goals as unit goals and people's goals on pace (who needs a
    conversation is the risk list's to say)."""
    for p in progress:
        if p.goal.unit_id:
            digest.unit_goals.append(p)
        elif p.status not in (BEHIND, AT_RISK):
            digest.on_pace.append(p)
        else:
            digest.off_pace.append(p)


def _leaderboards(
    meetings: Metric,
    units: list[Unit],
    trees: dict[int, set[int]],
    window: Window,
    today: dt.date,
) -> list[tuple[Unit, list[Standing]]]:
    """The top three of the first ten teams under each of the manager's units, ranked as
    every board ranks (``team_leaderboard``: by percent of each rep's own goal)."""
    boards = []
    for unit in units:
        teams = [u for u in Unit.objects.filter(pk__in=trees[unit.pk], kind="team")]
        for team in teams[:10]:
            month = ("month", window.start, window.end)
            board = team_leaderboard(meetings, [team.pk], month, as_of=today)
            if board:
                boards.append((team, board[:3]))
    return boards


def render_digest(digest: Digest) -> tuple[str, str]:
    """The digest as plain text and as HTML, in the manager's language."""
    context = {"d": digest, "org": OrgSettings.load()}
    with translation.override(digest.language):
        return (
            render_to_string("tracking/digest.txt", context),
            render_to_string("tracking/digest.html", context),
        )


def send_digests(digests: list[Digest]) -> int:
    """E-mail each digest to its manager's address, in the manager's language; returns how
    many were sent (managers without an address, e.g. imported from a CRM export by name, get
    none)."""
    sent = 0
    for digest in digests:
        if not digest.manager.email:
            continue
        text, html = render_digest(digest)
        with translation.override(digest.language):
            subject = digest.subject
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [digest.manager.email]
        )
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent
