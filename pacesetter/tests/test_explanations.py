"""Explanations are data turned into words at the edge: every code has a message, English
reads as it always did, and a stored English explanation is read back in any language."""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from pacesetter import explanations, planning
from pacesetter.explanations import (
    MESSAGES,
    TERMS,
    english,
    message_of,
    read_stored,
    stored,
    text_of,
)
from pacesetter.planning import errors
from pacesetter.planning.explain import (
    Day,
    Explanation,
    Items,
    Money,
    Month,
    Percent,
    Term,
    joined,
)

PACKAGE = Path(__file__).resolve().parents[1]
# Where explanations are made: the planning core and the apps that say why.
MAKERS = ("planning", "tracking", "goals", "coaching", "rewards", "workbook")
PREFIXES = {code.split(".")[0] for code in MESSAGES if "." in code}
CODE = re.compile(rf"^(?:{'|'.join(sorted(PREFIXES))})\.[a-z_]+$")
# Codes put together from parts (``code += "_scaled"``, ``f"{code}_of"``).
COMPOSED = (
    "realism.reached_scaled",
    "realism.stayed_within_scaled",
    "award.goal_of",
    "award.stretch_goal_of",
    "ordinal.st",
    "ordinal.nd",
    "ordinal.rd",
    "ordinal.th",
)


def _codes_in_source() -> dict[str, list[str]]:
    """Every string constant that looks like a code, in the modules that make explanations."""
    found: dict[str, list[str]] = {}
    for app in MAKERS:
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(value, str) and CODE.match(value):
                    where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                    found.setdefault(value, []).append(where)
    return found


def _sample(name: str) -> object:
    return {"amount": Money(Decimal("1234.5"))}.get(name, f"<{name}>")


def test_every_code_the_code_makes_has_a_message():
    found = _codes_in_source()
    assert "cascade.share_reason" in found and "capacity.ramp" in found  # the scan works
    missing = {code: places for code, places in found.items() if code not in MESSAGES}
    missing.update({code: ["composed"] for code in COMPOSED if code not in MESSAGES})
    assert missing == {}


def test_every_message_renders_in_every_language_with_its_placeholders():
    for code, message in MESSAGES.items():
        with translation.override("en"):
            names = re.findall(r"%\((\w+)\)s", str(message))
        e = Explanation(code, {name: _sample(name) for name in names})
        for language, _name in settings.LANGUAGES:
            text = text_of(e, language)
            assert text and "%(" not in text, (code, language, text)


def test_every_term_and_separator_has_words():
    for group, words in TERMS.items():
        for key, word in words.items():
            with translation.override("en"):
                assert str(word).strip(), (group, key)
    assert text_of(Explanation("list", {"items": Items(("a", "b"), "and")}), "en") == "a and b"


@pytest.mark.parametrize(
    ("explanation", "english_text"),
    [
        (Explanation("capacity.ramp", {"month": 3, "factor": "0.50"}), "ramp month 3 (0.50)"),
        (
            Explanation("capacity.drag", {"lost": Percent(Decimal("0.1"), None)}),
            "training drag −10 %",
        ),
        (
            Explanation(
                "cascade.company_weight",
                {
                    "amount": Money(Decimal("95000")),
                    "annual": Money(Decimal("1140000")),
                    "month": Month(1),
                    "weight": Percent(Fraction(1, 12)),
                },
            ),
            "$95,000.00 = annual $1,140,000.00 × Jan weight 8.33 %",
        ),
        (
            Explanation(
                "cascade.source",
                {
                    "kind": Term("unit_kind", "team"),
                    "name": "East",
                    "month": Month(9),
                    "target": Money(Decimal("45000")),
                },
            ),
            "team East Sep $45,000.00",
        ),
        (
            Explanation("stretch.not_offered", {"reason": Explanation("list", {"items": Items((
                Explanation("stretch.period_at", {"label": Month(9), "value": Decimal(51)}),
            ))})}),
            "stretch tier not offered: Sep at 51 %",
        ),
        (
            Explanation("stretch.no_goal_in", {"labels": Items((Month(8), Month(9)))}),
            "no goal in Aug, Sep",
        ),
        (
            Explanation("collective.left_company", {"day": Day(dt.date(2026, 11, 10),
                                                                "day_month_year")}),
            "left the company on 10 Nov 2026",
        ),
        (
            joined([Explanation("capacity.ramp", {"month": 1, "factor": "0.00"}),
                    Explanation("capacity.prorated", {"worked": 12, "possible": 23})]),
            "ramp month 1 (0.00); prorated 12/23 working days",
        ),
        (
            Explanation(
                "rule.goal_met", {"period": Term("period_adjective", "month"),
                                  "metric": "revenue_won"}
            ),
            "monthly revenue_won goal met",
        ),
        (Explanation("rule.goal_met", {"period": "", "metric": "revenue_won"}),
         "revenue_won goal met"),
        (Explanation("funnel.team_only"), "100 % team (no own history)"),
        (explanations.ordinal(2), "2nd"),
        (explanations.ordinal(12), "12th"),
        (Explanation("reward.cash", {"value": Money(Decimal("250"))}), "$250.00 cash"),
    ],
)  # fmt: skip
def test_english_reads_as_it_always_did(explanation, english_text):
    assert english(explanation) == english_text
    with translation.override("en"):
        assert str(explanation) == english_text  # str() is in the active language


def test_a_metric_code_becomes_the_metrics_words_on_a_page():
    trigger = Explanation("rule.goal_met", {"period": "", "metric": "revenue_won"})
    worded = explanations.with_terms(trigger, "metric", ("metric",))
    assert english(worded) == "revenue won goal met"
    custom = explanations.with_terms(
        Explanation("rule.goal_met", {"period": "", "metric": "nps"}),
        "metric",
        ("metric",),
        lambda code: "net promoter score",
    )
    assert english(custom) == "net promoter score goal met"


def test_explanations_survive_json():
    factor = Percent(Decimal("1.1"), None)
    e = Explanation(
        "cascade.share_reason",
        {
            "amount": Money(Decimal("11611.11"), "€"),
            "source": Explanation("cascade.source_factor", {"source": "x", "factor": factor}),
            "share": Percent(Fraction(1, 5)),
            "capacity": "0.50",
            "reason": joined([Explanation("capacity.left", {"day": Day(dt.date(2027, 3, 12),
                                                                        "iso")})]),
            "term": Term("metric", "nps", "net promoter score"),
            "n": 3,
            "d": Decimal("2.5"),
        },
    )  # fmt: skip
    assert Explanation.from_data(e.to_data()) == e


@pytest.mark.parametrize(
    ("codes", "text"),
    [
        (explanations.PLAN_LINE, "$95,000.00 = annual $1,140,000.00 × Jan weight 8.33 %"),
        (
            explanations.PLAN_LINE,
            "$24,750.00 = team East Sep $45,000.00 × 110 % × share 50.00 % "
            "(capacity 0.90; training drag −10 %)",
        ),
        (
            explanations.PLAN_LINE,
            "$45,000.00 = company Acme Inc Sep $95,000.00 × share 47.37 % (capacity 1.80 of 3.80)",
        ),
        (
            explanations.PLAN_LINE,
            "$11,611.11 = team East Nov $52,777.78 × 110 % × share 20.00 % "
            "(capacity 0.50; ramp month 3 (0.50); prorated 12/23 working days)",
        ),
        (explanations.PLAN_LINE, "$0.00: no capacity (not started yet)"),
        (explanations.PLAN_LINE, "$40,000.00 set in the workbook of FY27@1 (was $33,333.34)"),
        (
            explanations.PLAN_LINE,
            "$90,000.00 = the reps' quotas $99,000.00 ÷ 1.1 over-assignment (workbook edits "
            "of FY27@1; was $95,000.00)",
        ),
        (
            explanations.PLAN_LINE,
            "$80,000.00 = revenue won in Jan 2027 (re-plan of FY27@1 on 2027-03-01)",
        ),
        (explanations.AWARD_NOTE, "revenue_won 2026-11: $12,000.00 of $10,000.00 (120.0 %)"),
        (
            explanations.AWARD_NOTE,
            "earned again: revenue_won 2026-11 not met: $9,000.00 of $10,000.00 (90.0 %), behind",
        ),
        (explanations.AWARD_NOTE, "tied for 2nd of 3 in meetings_booked 2026-11 (Team Alpha): 12"),
        (explanations.AWARD_NOTE, "funded: budget available"),
        (explanations.CHANGE_REASON, "plan FY27@2 activated"),
        (explanations.CHANGE_REASON, "development goal agreed with Charlie Chen"),
        (explanations.MENTOR_FOCUS, "close rate 38.0 % vs your 12.0 %; calls made 140 vs your 40"),
        (
            explanations.GOAL_NOTE,
            "focus area calls → demos: 10 % against the team's 35 %; +10 % calls a week "
            "(10.8 → 12)",
        ),
    ],
)
def test_a_stored_english_explanation_is_read_back(codes, text):
    found = stored(text, codes)
    assert found is not None, text
    # Read back, a metric's code is its words: "revenue_won" is "revenue won".
    codes_as_words = re.sub(r"\b(revenue_won|meetings_booked)\b",
                            lambda m: m[1].replace("_", " "), text)  # fmt: skip
    assert english(found) == codes_as_words
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            assert read_stored(text, codes)


def test_a_stored_text_pacesetter_did_not_write_stays_as_it_is():
    assert stored("ramping up after parental leave", explanations.STORED) is None
    assert read_stored("ramping up after parental leave") == "ramping up after parental leave"
    assert read_stored("") == ""


# --- the planning core's errors ---------------------------------------------------------------


def test_a_planning_error_reads_in_english_and_explains_itself_in_any_language():
    """``str()`` is the English sentence whatever the active language (commands and logs);
    the explanation renders it in the reader's, the same words in English."""
    with translation.override("zh-hans"):
        with pytest.raises(planning.PlanningError) as caught:
            planning.stretch_target(Decimal(100), Decimal(90))
        assert str(caught.value) == "a stretch tier must be above 100 % of the goal, got 90 %"
        assert message_of(caught.value) == "挑战档必须高于目标的 100 %，收到的是 90 %"
    assert isinstance(caught.value, ValueError)
    assert text_of(caught.value.explanation, "en") == str(caught.value)
    with pytest.raises(ValueError, match=r"bad period label '2026-13': month must be in 1\.\.12"):
        planning.parse_period("2026-13", planning.WorkCalendar())
    assert message_of(ValueError("plain")) == "plain"


def test_every_planning_error_reads_the_same_in_english_both_ways():
    """The core's English (``planning.errors.english``) and the explanations' English are one
    sentence for every code, and every code has a Chinese sentence with its placeholders."""
    catalogue = gettext.translation("django", str(PACKAGE / "locale"), ["zh_Hans"])
    for code, sentence in errors.MESSAGES.items():
        names = re.findall(r"%\((\w+)\)s", sentence)
        e = Explanation(code, {name: f"<{name}>" for name in names})
        assert text_of(e, "en") == errors.english(e), code
        chinese = catalogue.gettext(sentence)
        words = re.sub(r"%\(\w+\)s", "", sentence)
        assert chinese != sentence or not re.search("[a-z]{3}", words), code
        assert sorted(re.findall(r"%\((\w+)\)s", chinese)) == sorted(names), code
