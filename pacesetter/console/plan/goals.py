"""Goal arithmetic of ``pacesetter plan``: the activities a revenue goal needs (``funnel``),
a target stepped up gradually (``waterfall``) and stretch tiers (``stretch``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pacesetter import planning
from pacesetter.console.arguments import person_named, unit_named
from pacesetter.console.plan import Table
from pacesetter.goals import funnel_history
from pacesetter.goals.services import stretch_goals_create, stretch_offers, waterfall_goals_create
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import members_on, subtree_ids, today_in_org, work_calendar
from pacesetter.presentation import currency_symbol


def funnel(options: dict[str, Any]) -> Table:
    """The activities needed for ``--revenue``, per month, week or working day."""
    cal = work_calendar()
    today = today_in_org()
    period = planning.parse_period(options["period"], cal) if options["period"] else (
        planning.month_of(today)
    )  # fmt: skip
    rates, deal_size, blend_text = _funnel_inputs(options, today)
    result = planning.reverse_funnel(
        options["revenue"], deal_size, rates, currency=currency_symbol(OrgSettings.load().currency)
    )
    per = options["per"]
    periods = _period_count(per, period, cal)
    each = planning.per_period(result.needed, periods)
    conversions = [
        r if isinstance(r, planning.Conversion) else planning.parse_conversion(r) for r in rates
    ]
    document = {
        "needed": result.needed,
        "per": per,
        "periods": periods,
        "per_period": each,
        "period": period.label,
        "revenue": options["revenue"],
        "deal_size": Decimal(deal_size),
        "rates": [{"from": c.from_stage, "to": c.to_stage, "rate": c.rate} for c in conversions],
        "explanation": list(result.explanation),
        "blend": blend_text,
    }
    rows = [
        {"stage": stage, "needed": n, f"per {per}": each[stage], "how": how}
        for (stage, n), how in zip(result.needed.items(), result.explanation, strict=True)
    ]
    title = f"{period.label}: {len(rows)} stages over {periods} {per}(s)"
    if blend_text:
        title += f" — rates from {blend_text}"
    return Table(rows, document, title)


def _funnel_inputs(
    options: dict[str, Any], today: dt.date
) -> tuple[list[planning.Conversion | str], Decimal, planning.Explanation | None]:
    """The conversion rates and deal size: as given, else blended from ``--person``'s history
    (and their team's), with the blend's explanation."""
    given: list[str] = list(options["rate"])  # FROM:TO=RATE
    rates: list[planning.Conversion | str] = list(given)
    deal_size = options["deal_size"]
    blend_text = None
    if options["person"]:
        person = person_named(options["person"])
        blended = funnel_history.blended_funnel(
            person, today, months=options["history_months"], given_rates=given or None
        )
        rates = list(blended.rates)
        deal_size = deal_size or blended.deal_size
        blend_text = blended.explanation
    if not rates:
        raise ValueError("give --rate FROM:TO=RATE (from the deal upward) or --person EMAIL")
    if deal_size is None:
        raise ValueError("give --deal-size, or --person EMAIL to use their history")
    return rates, deal_size, blend_text


def _period_count(per: str, period: planning.Period, cal: planning.WorkCalendar) -> int:
    """How many months, weeks or working days of ``period`` the goal is spread over."""
    if per == "month":
        return 1
    if per == "week":
        return len(planning.weeks_of(period, cal))
    periods = planning.working_day_count(period, cal)
    if periods == 0:
        raise ValueError(f"{period.label} has no working days")
    return periods


def waterfall(options: dict[str, Any]) -> Table:
    """Steps from ``--from`` to ``--to``; saved as goals with ``--person`` or ``--unit``."""
    cal = work_calendar()
    start = options["start"]
    if start is None:
        today = today_in_org()
        if options["every"] == "week":
            start = planning.week_of(today, cal).end
        else:
            start = planning.month_of(today).end
    steps = planning.waterfall(
        options["baseline"],
        options["target"],
        step=options["step"],
        percent=options["percent"],
        steps=options["steps"],
        every=options["every"],
        start=start,
        cal=cal,
    )
    rows = [{"start": s.start, "end": s.end, "target": s.target} for s in steps]
    title = f"{len(rows)} {options['every']}ly steps from {options['baseline']}"
    assignee = options["person"] or options["unit"]
    if assignee:
        if not options["metric"]:
            raise ValueError("--metric is needed to save the steps as goals")
        person = person_named(options["person"]) if options["person"] else None
        unit = unit_named(options["unit"]) if options["unit"] else None
        waterfall_goals_create(
            metric=options["metric"], steps=steps, every=options["every"],
            person=person, unit=unit,
        )  # fmt: skip
        title += f", saved as {options['metric']} goals of {person or unit}"
    return Table(rows, {"baseline": options["baseline"], "steps": rows}, title)


def stretch(options: dict[str, Any]) -> Table:
    """The stretch tier of ``--target``, or the tiers offered on a month's goals."""
    if options["target"] is not None:
        tier = planning.stretch_target(options["target"], options["percent"])
        row = {"target": options["target"], "percent": options["percent"], "stretch": tier}
        return Table([row], row)
    if not options["month"]:
        raise ValueError("give --target AMOUNT, or --month YYYY-MM to offer tiers to reps")
    month = planning.parse_period(options["month"], work_calendar())
    if month.kind != "month":
        raise ValueError(f"--month wants a month like 2026-12, got {options['month']!r}")
    people = None
    if options["unit"]:
        unit = unit_named(options["unit"])
        people = [p.pk for p in members_on(subtree_ids([unit.pk]), month.start)]
    offers = stretch_offers(
        month=month.start,
        person_ids=people,
        percent=options["percent"],
        periods=options["periods"],
    )
    saved = stretch_goals_create(offers=offers) if options["save"] else 0
    rows = [
        {
            "person": o.person.full_name,
            "goal": o.goal.target,
            "stretch": o.stretch,
            "eligible": "yes" if o.eligible else "no",
            "history": " ".join(f"{h}%" for h in o.history),
            "reason": o.reason,
        }
        for o in sorted(offers, key=lambda o: (not o.eligible, o.person.full_name))
    ]
    title = f"Stretch tiers at {options['percent']} % for {month.label}: "
    title += f"{sum(o.eligible for o in offers)} of {len(offers)} reps qualify"
    if options["save"]:
        title += f"; {saved} tier goals saved"
    return Table(rows, {"month": month.label, "offers": rows}, title)
