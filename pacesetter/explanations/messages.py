"""The one table of explanations: a gettext message per code, and the words of the fixed
vocabularies a parameter may name (``planning.explain.Term``). ``makemessages`` finds them
here; ``render`` turns them into text in the active language."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pacesetter import presentation
from pacesetter.planning import errors

Message = Promise | str

# --- the messages ---------------------------------------------------------------------------

MESSAGES: dict[str, Message] = {
    # Several explanations read as one ("ramp month 3 (0.50); prorated 12/23 working days").
    "list": "%(items)s",
    # A word of ``TERMS`` where a text is expected (a scorecard line's metric).
    "term": "%(word)s",
    # planning.capacity: what share of a full rep a person or seat is in a month.
    "capacity.full": _("full capacity"),
    "capacity.not_started": _("not started yet"),
    "capacity.left": _("left on %(day)s"),
    "capacity.ramp": _("ramp month %(month)s (%(factor)s)"),
    "capacity.prorated": _("prorated %(worked)s/%(possible)s working days"),
    "capacity.drag": _("training drag −%(lost)s"),
    "capacity.floored": _("floored at 0"),
    # planning.cascade: where each monthly target of a plan comes from.
    "cascade.override": _("%(amount)s set by override"),
    "cascade.override_year": _("%(amount)s set by override (year %(year)s)"),
    "cascade.company_left": _(
        "%(amount)s = %(left)s left after month overrides × %(month)s share %(share)s"
    ),
    "cascade.company_weight": _("%(amount)s = annual %(annual)s × %(month)s weight %(weight)s"),
    "cascade.source": _("%(kind)s %(name)s %(month)s %(target)s"),
    "cascade.source_factor": _("%(source)s × %(factor)s"),
    "cascade.source_rounded": _("%(source)s (%(base)s after rounding across teams)"),
    "cascade.source_overrides": _("(%(source)s − overrides %(overrides)s)"),
    "cascade.no_capacity": _("%(amount)s: no capacity (%(reason)s)"),
    "cascade.no_capacity_of": _("%(amount)s: no capacity (of %(total)s)"),
    "cascade.share": _("%(amount)s = %(source)s × share %(share)s (capacity %(capacity)s)"),
    "cascade.share_of": _(
        "%(amount)s = %(source)s × share %(share)s (capacity %(capacity)s of %(total)s)"
    ),
    "cascade.share_reason": _(
        "%(amount)s = %(source)s × share %(share)s (capacity %(capacity)s; %(reason)s)"
    ),
    # goals.plan_inputs.HistoryError: too little history, as a page says it (its fields).
    "plan.no_revenue_history": _(
        "no revenue won between %(start)s and %(end)s to learn seasonality from; choose flat "
        "seasonality"
    ),
    "plan.short_revenue_history": _(
        "revenue history starts %(month)s: a whole year of it is needed to learn seasonality; "
        "choose flat seasonality"
    ),
    "funnel.not_enough_history": _(
        "not enough history in %(person)s's team from %(start)s to %(end)s to measure the "
        "funnel; fill in both rates and the average deal size"
    ),
    # goals.models.PlannedHire: a seat to be hired.
    "plan.seat": _("%(title)s in %(team)s from %(month)s"),
    # goals.services.plan_replan: a re-planned company month.
    "replan.won": _("%(amount)s = revenue won in %(month_year)s (re-plan of %(plan)s on %(day)s)"),
    "replan.left": _(
        "%(amount)s = %(left)s still to win × %(month)s share %(share)s of the months left "
        "in %(plan)s"
    ),
    # workbook.draft: quotas changed in an uploaded sales-plan workbook.
    "workbook.set": _("%(amount)s set in the workbook of %(plan)s (was %(was)s)"),
    "workbook.set_new": _("%(amount)s set in the workbook of %(plan)s (was no quota)"),
    "workbook.team": _("%(amount)s = %(how)s (workbook edits of %(plan)s; was %(was)s)"),
    "workbook.reps_added": _("the reps' quotas added up"),
    "workbook.reps_over": _("the reps' quotas %(sum)s ÷ %(factor)s over-assignment"),
    "workbook.units": _(
        "%(amount)s = the units below added up after workbook edits of %(plan)s (was %(was)s)"
    ),
    # planning.funnel: the reverse funnel, and how a rep's rates were blended.
    # In plain words: "6 deals won ÷ a 16 % conversion rate → 38 demos (rounded up)".
    "funnel.deals": _("%(revenue)s ÷ %(deal_size)s a deal → %(count)s %(stages)s"),
    "funnel.deals_rounded": _(
        "%(revenue)s ÷ %(deal_size)s a deal → %(count)s %(stages)s (rounded up)"
    ),
    "funnel.stage": _("%(previous)s %(next)s ÷ a %(rate)s conversion rate → %(count)s %(stages)s"),
    "funnel.stage_rounded": _(
        "%(previous)s %(next)s ÷ a %(rate)s conversion rate → %(count)s %(stages)s (rounded up)"
    ),
    "funnel.step": _("%(from)s→%(to)s"),
    "funnel.team_only": _("100 %% team (no own history)"),
    "funnel.own": _("100 %% own history (%(deals)s deals)"),
    "funnel.mixed": _("%(own)s %% own history (%(deals)s deals), %(team)s %% team"),
    "funnel.team_rate_for": _("team rate only for %(stages)s"),
    "funnel.rates_given": _("rates given"),
    # planning.realism: the chance of meeting a goal, from the rep's own history.
    "realism.not_enough_history": _(
        "only %(usable)s past %(periods)s with data; %(needed)s needed"
    ),
    "realism.reached": _("%(met)s of %(usable)s past %(periods)s reached %(target)s"),
    "realism.reached_scaled": _(
        "%(met)s of %(usable)s past %(periods)s (scaled to %(days)s working days) reached "
        "%(target)s"
    ),
    "realism.stayed_within": _("%(met)s of %(usable)s past %(periods)s stayed within %(target)s"),
    "realism.stayed_within_scaled": _(
        "%(met)s of %(usable)s past %(periods)s (scaled to %(days)s working days) stayed "
        "within %(target)s"
    ),
    # planning.stretch and planning.scorecard: is a stretch tier offered (M7).
    "stretch.short_history": _("only %(have)s period(s) of history; %(needed)s needed"),
    "stretch.missed": _(
        "missed %(bar)s %% in %(missed)s of the last %(needed)s periods (period %(position)s "
        "of %(needed)s at %(value)s %%)"
    ),
    "stretch.under_quota": _("currently under quota (%(now)s %% of %(bar)s %%)"),
    "stretch.met": _("met %(bar)s %% in each of the last %(needed)s periods"),
    "stretch.short_history_of": _("only %(have)s %(periods)s of history; %(needed)s needed"),
    "stretch.no_goal_in": _("no goal in %(labels)s"),
    "stretch.met_in": _("met %(bar)s %% in each of the last %(needed)s %(periods)s (%(shown)s)"),
    "stretch.period": _("%(label)s %(value)s %%"),
    "stretch.period_at": _("%(label)s at %(value)s %%"),
    "stretch.offered": _("stretch tier offered: %(reason)s"),
    "stretch.not_offered": _("stretch tier not offered: %(reason)s"),
    # tracking.progress: notes on a goal card.
    "progress.no_data": _("no data yet"),
    "progress.missed_week": _("missed the week of %(day)s: %(actual)s of %(target)s"),
    # planning.forecast: a revenue goal's forecast at period end and its pipeline coverage.
    "forecast.total": _(
        "%(total)s = %(won)s won so far + %(run_rate)s more at the run rate over the "
        "%(days)s working days left + %(pipeline)s expected from open deals"
    ),
    "forecast.pipeline": _(
        "%(pipeline)s = %(amount)s in %(deals)s open deals expected to close by %(last_day)s "
        "× win rate %(rate)s (%(rate_why)s); a deal is expected to close on its CRM close "
        "date, else %(cycle)s days after it was created (%(cycle_why)s)"
    ),
    "forecast.rate_own": _("own: %(won)s won of %(closed)s closed in the last 12 months"),
    "forecast.rate_team": _(
        "the team's: %(won)s won of %(closed)s closed in the last 12 months; only %(own)s "
        "closed of one's own, %(needed)s needed"
    ),
    "forecast.rate_none": _("no deal closed in the last 12 months to learn a win rate from"),
    "forecast.cycle_own": _("the median of one's own %(deals)s wins in the last 12 months"),
    "forecast.cycle_team": _(
        "the team's median over %(deals)s wins in the last 12 months; only %(own)s of "
        "one's own, %(needed)s needed"
    ),
    "forecast.cycle_none": _("no win in the last 12 months to learn a cycle time from"),
    "forecast.left_out": _(
        "open deals left out: %(deals)s, expected to close after %(last_day)s or with no date "
        "to expect"
    ),
    "forecast.coverage": _(
        "coverage %(ratio)s× = %(amount)s open pipeline expected in the period ÷ %(remaining)s "
        "still to win (target %(target)s − %(won)s won)"
    ),
    "forecast.coverage_met": _("nothing left to cover: %(won)s won reaches the target"),
    # tracking.collective: why a member is not counted in a collective goal.
    "collective.left_company": _("left the company on %(day)s"),
    "collective.excused": _("%(reason)s (%(start)s – %(end)s)"),
    # goals.focus: a junior rep's focus area (M3).
    "focus.stage": _("%(from)s → %(to)s"),
    "focus.no_teammates": _("%(person)s has no teammates to compare with today"),
    "focus.at_or_above": _("at or above the team's median in every stage"),
    "focus.not_enough_activity": _("not enough activity in the last 13 weeks to compare stages"),
    "focus.behind": _(
        "%(stage)s is %(shortfall)s below the team's median (%(own)s against %(median)s over "
        "the last 13 weeks)"
    ),
    "focus.note": _(
        "focus area %(stage)s: %(own)s against the team's %(median)s; +10 %% %(activity)s a "
        "week (%(average)s → %(target)s)"
    ),
    # Why a goal's target changed (goal history).
    "change.focus_accepted": _("focus area accepted"),
    "change.plan_activated": _("plan %(plan)s activated"),
    "change.waterfall_step": _("waterfall step"),
    "change.waterfall_replanned": _("waterfall re-planned"),
    "change.development_agreed": _("development goal agreed with %(mentor)s"),
    "change.development_by_manager": _("development goal set by the manager"),
    # coaching: mentor suggestions (M8) and a mentor's credit on their scorecard.
    "mentor.comparison": _("%(metric)s %(mentee)s vs median %(median)s"),
    "mentor.strength": _("%(metric)s %(value)s vs your %(mine)s"),
    "mentor.all_reps": _("all reps compared"),
    "mentee.line": _("Mentee %(name)s: development goals"),
    "mentee.met": _("%(met)s of %(total)s development goals met"),
    "mentee.none": _("no development goal agreed for this period"),
    # rewards: what earns a rule's reward, and the reward.
    "rule.goal_met": _("%(period)s %(metric)s goal met"),
    "rule.stretch_met": _("%(period)s %(metric)s stretch tier met"),
    "rule.competition_won": _(
        "%(period)s %(metric)s competition: top %(n)s by %(rank_by)s (ties within the top "
        "%(n)s all win)"
    ),
    "rule.collective_met": _("%(period)s %(metric)s collective goal met by every member"),
    "rule.top_priority_too": _("%(trigger)s, with the top-priority goals of the period met too"),
    "rule.any_metric": _("any"),
    "payout.goal": _("%(metric)s"),
    "payout.stretch": _("%(metric)s stretch tier"),
    "payout.of_unit": _("%(goal)s (%(unit)s)"),
    "reward.cash": _("%(value)s cash"),
    "reward.other": _("%(name)s (%(kind)s, valued %(value)s)"),
    # rewards.evaluation and services: how an award was earned, reversed or funded.
    "award.goal": _("%(metric)s %(span)s"),
    "award.goal_of": _("%(metric)s %(span)s (%(unit)s)"),
    "award.stretch_goal": _("%(metric)s stretch tier %(span)s"),
    "award.stretch_goal_of": _("%(metric)s stretch tier %(span)s (%(unit)s)"),
    "award.numbers": _("%(actual)s of %(target)s"),
    "award.numbers_percent": _("%(actual)s of %(target)s (%(attainment)s %%)"),
    "award.met": _("%(goal)s: %(numbers)s"),
    "award.not_met": _("%(goal)s not met: %(numbers)s, %(status)s"),
    "award.top_missed": _("top-priority goal not met: %(goals)s"),
    "award.top_missed_goal": _("%(goal)s %(actual)s of %(target)s"),
    "award.top_met": _("%(detail)s · top-priority goals met"),
    "award.place": _("%(rank)s of %(field)s"),
    "award.place_tied": _("tied for %(rank)s of %(field)s"),
    "award.won": _("%(place)s in %(goal)s: %(value)s"),
    "award.won_cohort": _("%(place)s (%(cohort)s) in %(goal)s: %(value)s"),
    "award.lost": _("%(place)s in %(goal)s (%(why)s)"),
    "award.lost_cohort": _("%(place)s (%(cohort)s) in %(goal)s (%(why)s)"),
    "award.no_result": _("no result"),
    "award.top_n": _("top %(n)s win"),
    "award.not_counted": _("not counted in %(goal)s: %(reason)s"),
    "award.collective_met": _("%(goal)s: all %(n)s counted members met"),
    "award.collective_short": _("%(goal)s not met: %(who)s short"),
    "award.not_every_member": _("not every member"),
    "award.no_longer_matches": _("no longer matches the rule (its goal, unit or program changed)"),
    "award.funded": _("funded: budget available"),
    "award.earned_again": _("earned again: %(detail)s"),
    # English ordinals ("1st"); other languages write the rank their own way.
    "ordinal.st": _("%(n)sst"),
    "ordinal.nd": _("%(n)snd"),
    "ordinal.rd": _("%(n)srd"),
    "ordinal.th": _("%(n)sth"),
}

# Why the planning core refuses its input (``planning.PlanningError``): the core marks its
# English sentences for translation (``planning.errors.MESSAGES``), here they are translated.
_CLASHES = set(MESSAGES) & set(errors.MESSAGES)
assert not _CLASHES, f"planning error codes used for explanations too: {_CLASHES}"
MESSAGES.update({code: _(text) for code, text in errors.MESSAGES.items()})

# --- the vocabularies a parameter may name (``planning.explain.Term``) -----------------------

TERMS: dict[str, Mapping[str, Message]] = {
    "unit_kind": {
        "company": _("company"),
        "region": _("region"),
        "department": _("department"),
        "team": _("team"),
    },
    # How many past periods: "3 of 12 past months".
    "periods": {
        "periods": _("periods"),
        "days": _("days"),
        "weeks": _("weeks"),
        "months": _("months"),
        "quarters": _("quarters"),
        "years": _("years"),
    },
    # Funnel stages, one of them ("demo: 8 = …").
    "stage": {"deal": _("deal"), "demo": _("demo"), "call": _("call")},
    # Funnel stages counted ("calls → demos").
    "stages": {"call": _("calls"), "demo": _("demos"), "deal": _("deals won")},
    # A metric inside a sentence ("close rate 38.0 % vs your 12.0 %").
    "metric": {
        "revenue_won": _("revenue won"),
        "deals_won": _("deals won"),
        "close_rate": _("close rate"),
        "lead_to_customer_days": _("lead-to-customer time"),
        "demos_held": _("demos held"),
        "enterprise_demos": _("enterprise demos"),
        "calls_made": _("calls made"),
        "emails_sent": _("e-mails sent"),
        "meetings_booked": _("meetings booked"),
        "meetings_held": _("meetings held"),
        "articles_shared": _("articles shared"),
        "new_customer_coverage": _("new-customer coverage"),
        "retention_rate": _("customer retention"),
        "pd_events": _("professional-development events"),
    },
    # A metric's label, on its own ("Revenue won"): the same words as the pages' labels.
    "metric_label": presentation.METRIC_LABELS,
    "period_adjective": {
        "day": _("daily"),
        "week": _("weekly"),
        "month": _("monthly"),
        "quarter": _("quarterly"),
        "year": _("yearly"),
    },
    "rank_by": {"percent": _("percent of own goal"), "raw": _("raw value")},
    "reward_kind": {
        "cash": _("cash"),
        "recognition": _("recognition"),
        "day_off": _("day off"),
        "outing": _("outing"),
        "other": _("other (non-monetary)"),
    },
    "status": dict(presentation.STATUS_LABELS),
    # What a planning error may name: a kind of period, a weekday, a waterfall's input.
    "period_kind": {
        "day": _("day"),
        "week": _("week"),
        "month": _("month"),
        "quarter": _("quarter"),
        "year": _("year"),
    },
    "weekday": {
        "monday": _("Monday"),
        "tuesday": _("Tuesday"),
        "wednesday": _("Wednesday"),
        "thursday": _("Thursday"),
        "friday": _("Friday"),
        "saturday": _("Saturday"),
        "sunday": _("Sunday"),
    },
    "waterfall_input": {
        "baseline": _("baseline"),
        "target": _("target"),
        "step": _("step"),
        "percent": _("percent"),
    },
    # Python's own words for a date that does not exist (in "bad period label '2026-13': …").
    "python_error": {
        "day is out of range for month": _("day is out of range for month"),
        "month must be in 1..12": _("month must be in 1..12"),
    },
    # A competition's tenure cohorts (``tracking.leaderboard.TENURE_BANDS``).
    "cohort": {
        "< 6 months": _("Under 6 months"),
        "6–12 months": _("6–12 months"),
        "1–2 years": _("1–2 years"),
        "2+ years": _("2 years and more"),
        "tenure unknown": _("Tenure unknown"),
    },
}

SEPARATORS: dict[str, Message] = {
    "comma": _(", "),
    "semicolon": _("; "),
    "and": _(" and "),
}


def codes_of(messages: Mapping[str, Message] = MESSAGES) -> list[str]:
    """Every code with a message."""
    return sorted(messages)
