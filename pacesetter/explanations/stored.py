"""Stored English read back: a plan line's explanation, an award's note, a goal's note,
the reason of a target change or a mentorship's focus were written in English from an
explanation; the English message of each code they may come from, with a pattern per
parameter, finds that explanation again so that a page shows it in its reader's language."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any

from django.utils import translation

from pacesetter.explanations.messages import MESSAGES, TERMS
from pacesetter.explanations.render import text_of, with_terms
from pacesetter.planning import explain
from pacesetter.planning.explain import Day, Explanation, Month, Term

_MONEY = r"−?(?:[A-Z]{3} )?[^\s\d−()]{0,3}\d[\d,]*\.\d\d"
_NUMBER = r"−?\d[\d,]*(?:\.\d+)?"
_PERCENT = _NUMBER + " %"
_VALUE = rf"—|{_MONEY}|{_NUMBER}(?: %| days?)?"
_MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# What each parameter looks like in English, by name; anything else matches lazily.
PARAM_PATTERNS: dict[str, str] = {
    "amount": _MONEY,
    "left": _MONEY,
    "annual": _MONEY,
    "base": _MONEY,
    "overrides": _MONEY,
    "year": _MONEY,
    "was": _MONEY,
    "sum": _MONEY,
    "month": rf"{_MONTH}|\d+",  # a month's name, or a month of tenure ("ramp month 3")
    "month_year": rf"(?:{_MONTH}) \d{{4}}",
    "kind": "company|region|department|team",
    "share": _PERCENT,
    "weight": _PERCENT,
    "factor": _NUMBER + "(?: %)?",
    "lost": _PERCENT,
    "capacity": _NUMBER,
    "total": _NUMBER,
    "value": _VALUE,
    "mine": _VALUE,
    "actual": _VALUE,
    "target": _VALUE,
    "attainment": _NUMBER,
    "day": r"\d{4}-\d\d-\d\d|\d\d \w{3}(?: \d{4})?",
    "metric": r"[\w-]+(?: [\w-]+)*?",
    "status": "achieved|on track|at risk|behind",
    "n": r"\d+",
    "rank": r"\d+(?:st|nd|rd|th)",
    "field": r"\d+",
    # A goal as the rewards name it: "revenue_won stretch tier 2026-11 (Team Alpha)".
    "goal": r"[\w-]+(?: stretch tier)? [\d\-–]+(?: \([^)]*\))?",
}
# Parameters that are themselves explanations: the codes each may be.
NESTED: dict[str, tuple[str, ...]] = {
    "source": ("cascade.source_overrides", "cascade.source_rounded", "cascade.source_factor",
               "cascade.source"),
    "reason": ("capacity.not_started", "capacity.left", "capacity.ramp", "capacity.prorated",
               "capacity.drag", "capacity.floored", "collective.left_company",
               "collective.excused"),
    "stage": ("focus.stage",),
    "how": ("workbook.reps_added", "workbook.reps_over"),
    "goal": ("award.stretch_goal_of", "award.stretch_goal", "award.goal_of", "award.goal"),
    "numbers": ("award.numbers_percent", "award.numbers"),
    "place": ("award.place_tied", "award.place"),
    "why": ("award.no_result", "award.top_n"),
    "rank": ("ordinal.st", "ordinal.nd", "ordinal.rd", "ordinal.th"),
}  # fmt: skip
# Stored texts by where they are kept: the codes a text there may be.
PLAN_LINE = (
    "cascade.override", "cascade.override_year", "cascade.company_left",
    "cascade.company_weight", "cascade.no_capacity", "cascade.no_capacity_of",
    "cascade.share", "cascade.share_of", "cascade.share_reason", "replan.won", "replan.left",
    "workbook.set", "workbook.set_new", "workbook.team", "workbook.units",
)  # fmt: skip
AWARD_DETAIL = (
    "award.top_met", "award.top_missed", "award.not_met", "award.met", "award.won_cohort",
    "award.won", "award.lost_cohort", "award.lost", "award.not_counted",
    "award.collective_short", "award.collective_met",
)  # fmt: skip
AWARD_NOTE = ("award.earned_again", "award.no_longer_matches", "award.funded", *AWARD_DETAIL)
GOAL_NOTE = ("focus.note", "stretch.met", "stretch.missed", "stretch.under_quota",
             "stretch.short_history")  # fmt: skip
CHANGE_REASON = (
    "change.focus_accepted", "change.plan_activated", "change.waterfall_step",
    "change.waterfall_replanned", "change.development_agreed", "change.development_by_manager",
)  # fmt: skip
MENTOR_FOCUS = ("mentor.strength",)
STORED = (*PLAN_LINE, *AWARD_NOTE, *GOAL_NOTE, *CHANGE_REASON, *MENTOR_FOCUS)
NESTED["detail"] = AWARD_DETAIL
_METRIC_WORDS = {str(word): key for key, word in TERMS["metric"].items()}


@functools.cache
def _pattern(code: str) -> re.Pattern[str]:
    """The English message of ``code`` as a pattern with a named group per placeholder."""
    with translation.override("en"):
        message = str(MESSAGES[code])
    parts, seen, position = [], set(), 0
    for found in re.finditer(r"%\((\w+)\)s|%%", message):
        parts.append(re.escape(message[position : found.start()]))
        position = found.end()
        name = found[1]
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>{PARAM_PATTERNS.get(name, '.+?')})")
    parts.append(re.escape(message[position:]))
    return re.compile("".join(parts))


def parse(text: str, codes: Sequence[str]) -> Explanation | None:
    """The explanation whose English is ``text``, among ``codes`` (None: none of them)."""
    for code in codes:
        found = _pattern(code).fullmatch(text)
        if found is None:
            continue
        params: dict[str, Any] = {}
        for name, value in found.groupdict().items():
            params[name] = _read_param(name, value)
        return Explanation(code, params)
    return None


def _read_param(name: str, value: str) -> Any:
    if name in NESTED:
        return _read_nested(name, value)
    if name == "month" and not value.isdigit():
        return Month(_MONTH.split("|").index(value) + 1)
    if name == "month_year":
        month, year = value.split()
        return Day(dt.date(int(year), _MONTH.split("|").index(month) + 1, 1), "month_year")
    if name == "kind":
        return Term("unit_kind", value)
    if name == "metric":
        key = _METRIC_WORDS.get(value, value)
        return Term("metric", key) if key in TERMS["metric"] else value
    if name == "status":
        return Term("status", value.replace(" ", "_"))
    if name == "cohort":
        return Term("cohort", value)
    if name in ("stage", "from", "to", "activity"):
        return _read_stage(value)
    return value


def _read_nested(name: str, value: str) -> Any:
    """A parameter that is an explanation of its own (or several joined by "; ", for a
    capacity's reasons); the text itself when it is none of them."""
    nested = parse(value, NESTED[name])
    if nested is None and name == "reason":  # several capacity reasons
        parts = [parse(part, NESTED[name]) for part in value.split("; ")]
        if all(parts):
            return explain.joined([p for p in parts if p is not None])
    return value if nested is None else nested


def _read_stage(value: str) -> Term | str:
    """A funnel stage or an activity kind by its English word; the text when it is none."""
    for group in ("stages", "stage"):
        for key, word in TERMS[group].items():
            if value == str(word):
                return Term(group, key)
    return value


def stored(text: str, codes: Sequence[str] = STORED) -> Explanation | None:
    """The explanation a stored English ``text`` was written from, when it is one of
    ``codes`` (or several of them joined by "; "); None for any other text."""
    if not text:
        return None
    with translation.override("en"):
        found = parse(text, codes)
        if found is None and "; " in text:
            parts = [parse(part, codes) for part in text.split("; ")]
            found = explain.joined([p for p in parts if p]) if all(parts) else None
    return found


def read_stored(text: str, codes: Sequence[str] = STORED) -> str:
    """A stored English ``text`` in the reader's language when it is one of ``codes`` (or
    several joined by "; "); otherwise ``text`` as it is."""
    found = stored(text, codes)
    return text if found is None else text_of(with_terms(found, "metric", ("metric",)))
