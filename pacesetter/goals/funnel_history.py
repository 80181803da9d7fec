"""A rep's own funnel (conversion rates, deal size) from the ledger, blended with the team's.

Stages, from the deal upward: a demo becomes a won deal, a call becomes a demo — the
source's funnel. Rates are measured over the last few whole months; a rep with little
history leans on the team's numbers (``planning.blend`` says how much).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from pacesetter import planning
from pacesetter.goals.plan_inputs import HistoryError
from pacesetter.ledger.selectors import FunnelCounts, funnel_counts
from pacesetter.org.models import Membership, OrgSettings, Person
from pacesetter.planning.calendar import add_months

# (from stage, to stage, activity kind counted at "from", count at "to")
STAGES = (("demo", "deal"), ("call", "demo"))
FULL_CREDIBILITY_DEALS = 30


def _rates(counts: FunnelCounts) -> tuple[tuple[str, str, Decimal], ...]:
    at = {"deal": counts.deals_won, **counts.activities}
    rates = []
    for lower, upper in STAGES:
        if at.get(lower, 0) > 0 and at.get(upper, 0) > 0:
            rate = min(Decimal(1), Decimal(at[upper]) / Decimal(at[lower]))
            rates.append((lower, upper, rate.quantize(Decimal("0.000001"))))
        else:
            break  # a stage without data breaks the chain above it
    return tuple(rates)


def _history(counts: FunnelCounts) -> planning.FunnelHistory:
    size = counts.revenue / counts.deals_won if counts.deals_won else None
    return planning.FunnelHistory(_rates(counts), size, counts.deals_won)


def blended_funnel(
    person: Person,
    today: dt.date,
    *,
    months: int = 6,
    given_rates: list[str] | None = None,
) -> planning.BlendedFunnel:
    """The rates and deal size to plan ``person``'s activity with (three queries)."""
    end = dt.date(today.year, today.month, 1)
    start = add_months(end, -months)
    team = Membership.objects.filter(person=person).on(today).values_list("unit_id", flat=True)
    team_ids = set(
        Membership.objects.filter(unit_id__in=list(team))
        .on(today)
        .values_list("person_id", flat=True)
    ) | {person.pk}
    zone = OrgSettings.load().zone
    counts = funnel_counts(team_ids, start, end, zone)
    mine = counts[person.pk]
    together = FunnelCounts({}, 0, Decimal("0.00"))
    for c in counts.values():
        together = together + c
    team_history = _history(together)
    if given_rates:
        team_history = planning.FunnelHistory(tuple(given_rates), team_history.deal_size, 0)
        own = planning.FunnelHistory(tuple(given_rates), _history(mine).deal_size, mine.deals_won)
    else:
        own = _history(mine)
    incomplete = len(team_history.rates) < len(STAGES) and not given_rates
    if team_history.deal_size is None or incomplete:
        values = {"person": str(person), "start": start, "end": end}
        raise HistoryError(
            _(
                "not enough history in %(person)s's team from %(start)s to %(end)s to measure "
                "the funnel; give --rate and --deal-size"
            )
            % values,
            planning.Explanation("funnel.not_enough_history", values),
        )
    return planning.blend(own, team_history, full_credibility_n=FULL_CREDIBILITY_DEALS)
