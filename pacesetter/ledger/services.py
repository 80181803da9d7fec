"""Writes to the ledger by hand: a week's numbers typed in (M6 "the old way").

One ``ManualEntry`` per person, metric and part of a week, replaced when the person corrects
it. A week that straddles two months is entered in two parts, one per month
(``planning.week_parts``), so each month counts what happened in it and nothing typed on
1 December lands in November. Manual entries are read straight from the ledger by the metric
engine (they have no rollup), so saving the row is all it takes for progress to move; the
rest of Pacesetter hears of it through ``ledger_changed``, once the transaction commits.

The ledger knows metrics only by the name their entries are stored under: which metrics
take manual entries is the catalog's business (``pacesetter.metrics``), checked by callers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.ledger.models import ManualEntry
from pacesetter.ledger.selectors import entries_of_week
from pacesetter.ledger.signals import ledger_changed_on_commit
from pacesetter.org.models import Person

WEB_SOURCE = "web"


@dataclass(frozen=True)
class WeekEntry:
    """A number typed in for one metric and one part of a week (from ``first_day``);
    ``metric`` is the name entries of the metric are stored under."""

    metric: str
    first_day: dt.date
    value: Decimal


@transaction.atomic
def entries_save_week(
    *,
    person: Person,
    week: planning.Period,
    values: Sequence[WeekEntry],
    by: User | None = None,
) -> list[WeekEntry]:
    """Save ``person``'s numbers for ``week``; answer the ones that changed what was stored.

    Each value belongs to one part of the week (its ``first_day`` starts a part of
    ``planning.week_parts(week)``). A part has one number per metric: entering it again
    replaces it, whichever way (web form or spreadsheet) it came in first. All or nothing: a
    bad value (negative, or not starting a part of the week) raises ``ValueError`` and
    leaves the ledger as it was. ``ledger_changed`` goes out on commit, naming the months
    that moved, when anything did.
    """
    starts = {start for start, _end in planning.week_parts(week)}
    stored = entries_of_week(person, week)
    changed = []
    for item in values:
        if not item.metric:
            raise ValueError(_("a weekly number needs its metric"))
        if item.value < 0:
            raise ValueError(_("a weekly number must not be negative"))
        if item.first_day not in starts:
            raise ValueError(
                _("%(day)s does not start a part of week %(week)s")
                % {"day": item.first_day, "week": week.label}
            )
        if stored.get((item.metric, item.first_day)) == item.value:
            continue  # already there: nothing to write, nothing moved
        ManualEntry.objects.update_or_create(
            person=person,
            metric=item.metric,
            first_day=item.first_day,
            defaults={
                "value": item.value,
                "source": WEB_SOURCE,
                "external_id": f"web:{person.pk}:{item.metric}:{item.first_day.isoformat()}",
                "entered_by": by,
            },
        )
        changed.append(item)
    if changed:
        months = [item.first_day.replace(day=1) for item in changed]
        ledger_changed_on_commit(entries_save_week, months=months)
    return changed
