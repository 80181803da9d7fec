"""Competitions (G9: book the most meetings in the team): ranks with ties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pacesetter.metrics.engine import Window, person_values
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person, Role
from pacesetter.org.selectors import members_on


@dataclass(frozen=True)
class Standing:
    rank: int
    person: Person
    value: Decimal | None
    tied: bool


def leaderboard(
    metric: Metric, unit_ids: list[int], window: Window, *, as_of: dt.date
) -> list[Standing]:
    """The reps of the units (members on the window's last day, or today if earlier), best
    first. Equal values share a rank and the next rank is skipped (1, 1, 3)."""
    day = min(as_of, window.end - dt.timedelta(days=1))
    members = members_on(unit_ids, day)
    rep_ids = set(
        Role.objects.filter(kind=Role.Kind.REP, person__in=members).values_list(
            "person_id", flat=True
        )
    )
    reps = [p for p in members if p.pk in rep_ids]
    values = person_values(metric, window, [p.pk for p in reps], as_of=as_of)
    lower = metric.lower_is_better

    def sort_key(p: Person) -> tuple:
        v = values[p.pk]
        missing = v is None
        return (missing, (v if lower else -v) if not missing else 0, p.full_name)

    ordered = sorted(reps, key=sort_key)
    standings: list[Standing] = []
    for i, person in enumerate(ordered):
        value = values[person.pk]
        same_as_previous = bool(standings) and standings[-1].value == value
        rank = standings[-1].rank if same_as_previous else i + 1
        tied = any(values[o.pk] == value for o in ordered if o is not person)
        standings.append(Standing(rank, person, value, tied))
    return standings
