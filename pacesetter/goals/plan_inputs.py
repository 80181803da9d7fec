"""From the database to the planning core's plain inputs: the org tree, reps, seats, history.

Ids crossing into ``planning`` are strings: units by their pk, people as ``person-<pk>``
and planned hires as ``seat-<pk>``, so lines coming back map to rows without guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.goals.models import PlannedHire
from pacesetter.ledger.selectors import revenue_by_month
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.planning.calendar import add_months

LONG_AGO = dt.date(1970, 1, 1)


class HistoryError(ValueError):
    """Too little history to plan from. ``str()`` says what to give the command (its
    options); ``explanation`` says it for a page, naming the form's fields instead
    (``explanations.message_of``)."""

    def __init__(self, message: str, explanation: planning.Explanation) -> None:
        super().__init__(message)
        self.explanation = explanation


def person_key(pk: int) -> str:
    return f"person-{pk}"


def seat_key(pk: int) -> str:
    return f"seat-{pk}"


def pk_of(key: str | None) -> int | None:
    return None if key is None else int(key.rsplit("-", 1)[1])


@dataclass(frozen=True)
class Snapshot:
    org: planning.Org
    names: dict[str, str]  # planning id → display name (units, people, seats)


def org_snapshot(year: planning.Period, as_of: dt.date) -> Snapshot:
    """The org as it will be planned for ``year``: reps in their teams, and planned hires.

    A rep belongs to the team they are in on the later of ``as_of`` and the year's first
    day; people who leave before the year starts, or have no team, are not planned.
    """
    on = max(as_of, year.start)
    units = list(Unit.objects.all())
    teams = {u.pk for u in units if u.kind == Unit.Kind.TEAM}
    names = {str(u.pk): u.name for u in units}
    rep_ids = Role.objects.filter(kind=Role.Kind.REP).values("person_id")
    reps = Person.objects.filter(id__in=rep_ids).filter(
        Q(leave_date__isnull=True) | Q(leave_date__gte=year.start)
    )
    memberships = {
        m.person_id: m.unit_id
        for m in Membership.objects.filter(person__in=reps, unit_id__in=teams).on(on)
    }
    members: list[planning.Member] = []
    for person in reps:
        team = memberships.get(person.pk)
        if team is None:
            continue
        members.append(
            planning.Rep(
                id=person_key(person.pk),
                team_id=str(team),
                hire_date=person.hire_date or LONG_AGO,
                leave_date=person.leave_date,
            )
        )
        names[person_key(person.pk)] = person.full_name
    for hire in PlannedHire.objects.filter(
        filled_by__isnull=True, start_month__lt=year.end, team_id__in=teams
    ):
        members.append(
            planning.Seat(
                id=seat_key(hire.pk), team_id=str(hire.team_id), start_month=hire.start_month
            )
        )
        names[seat_key(hire.pk)] = f"{hire.title} (hire from {hire.start_month:%Y-%m})"
    plain_units = [
        planning.Unit(
            id=str(u.pk),
            name=u.name,
            parent_id=None if u.parent_id is None else str(u.parent_id),
            kind=u.kind,
        )
        for u in units
    ]
    return Snapshot(planning.Org(plain_units, members), names)


def learned_seasonality(before: dt.date, years: int = 3) -> dict[int, Decimal]:
    """Monthly weights learned from revenue won in the last whole 12-month windows.

    The windows end with the last complete month before ``before``: with 18 months of
    history, the last 12 form one window. A window that reaches back before the first month
    with any revenue is left out: its empty months would look like a seasonal dip.
    """
    end = dt.date(before.year, before.month, 1)
    start = add_months(end, -12 * years)
    actuals = revenue_by_month(start, end)
    if not actuals:
        days = {"start": start, "end": end}
        raise HistoryError(
            _(
                "no revenue won between %(start)s and %(end)s to learn seasonality from; "
                "use --seasonality flat or a file of 12 weights"
            )
            % days,
            planning.Explanation("plan.no_revenue_history", days),
        )
    first = dt.date(*min(actuals), 1)
    windows: dict[tuple[int, int], Decimal] = {}
    for k in range(years):
        window_start = add_months(end, -12 * (k + 1))
        if window_start < first:
            break
        for i in range(12):
            month = add_months(window_start, i)
            windows[(k, month.month)] = actuals.get((month.year, month.month), Decimal(0))
    if not windows:
        starts = {"month": f"{first:%Y-%m}"}
        raise HistoryError(
            _(
                "revenue history starts %(month)s: a whole year of it is needed to learn "
                "seasonality; use --seasonality flat or a file of 12 weights"
            )
            % starts,
            planning.Explanation("plan.short_revenue_history", starts),
        )
    return planning.learned(windows)
