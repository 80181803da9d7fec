"""Issue 15: form errors in the user's terms. A scenario name with a space is told which
characters to use (not Django's "valid slug"); a period that cannot be read is told how to
write one, as the field's hint says (not the parser's "expected 2027, FY2027, …")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import PASSWORD
from pacesetter.web.forms.common import period_hint
from pacesetter.web.forms.goals import FunnelForm, GoalForm
from pacesetter.web.forms.plans import ReopenForm

SLUG_WORDS = "Use letters, digits, - and _ (no spaces), e.g. stretch-2027."


def test_a_scenario_name_with_a_space_is_told_what_to_write(client, small_org):
    assert client.login(username="olga", password=PASSWORD)
    data = {"name": "stretch 2027", "year": "2027", "annual_target": "1000000",
            "seasonality": "flat", "ramp": "0,25,50,75,100", "over_assign": "1.1",
            "drag_percent": "10", "drag_months": "2"}  # fmt: skip

    page = client.post(reverse("plan_new"), data).content.decode()

    assert SLUG_WORDS in page
    assert "slug" not in page.lower()


def goal_form(period: str, kind: str) -> GoalForm:
    data = {"assign_to": "person", "period_kind": kind, "period": period}
    return GoalForm(data, people=[], units=[], cal=planning.WorkCalendar())


@pytest.mark.parametrize(
    ("period", "kind", "says"),
    [
        ("December", "month", "Write the month as 2026-12."),
        ("2026-13", "month", "Write the month as 2026-12."),
        ("2026-Q4", "month", "Write the month as 2026-12."),  # a period of another kind
        ("Q4", "quarter", "Write the quarter as 2026-Q4."),
        ("week 49", "week", "Write the week as 2026-W49."),
    ],
)
def test_a_goals_period_is_refused_in_the_words_of_its_hint(db, period, kind, says):
    errors = goal_form(period, kind).errors["period"]

    assert errors == [says]


def test_a_good_period_of_the_chosen_kind_is_read(db):
    form = goal_form("2026-Q4", "quarter")
    form.is_valid()

    assert "period" not in form.errors
    assert form.cleaned_data["period_obj"].label == "2026-Q4"


def test_the_funnels_month_says_how_to_write_a_month(db):
    form = FunnelForm({"period": "2026/12"}, people=[])

    assert form.errors["period"] == ["Write the month as 2026-12."]


def test_a_period_to_reopen_lists_the_ways_to_write_one(db):
    form = ReopenForm({"period": "last month", "reason": "late deals"},
                      cal=planning.WorkCalendar())  # fmt: skip

    assert form.errors["period"] == [
        "Write the month as 2026-12, the quarter as 2026-Q4, the week as 2026-W49, "
        "the year as 2026."
    ]
    assert "expected" not in str(form.errors)


def test_the_hint_names_the_kinds_asked_for():
    assert period_hint(("month", "quarter", "year")) == (
        "Write the month as 2026-12, the quarter as 2026-Q4, the year as 2026."
    )


def test_the_funnel_page_says_how_in_words_and_a_slow_pace_as_one_every_few_days(client, small_org):
    """Issue 15: "⌈6 ÷ 16.3552 %⌉" and "1 deal per working day" for a 6-deal month."""
    from pacesetter.web.tests.conftest import ensure_metric_catalog

    ensure_metric_catalog()
    assert client.login(username="mia", password=PASSWORD)
    data = {"person": small_org.alice.pk, "revenue": "60000", "period": "2026-12",
            "deal_size": "10000", "demo_to_deal": "16.3552", "call_to_demo": "30"}  # fmt: skip

    page = client.get(reverse("goal_funnel"), data).content.decode()

    assert "6 deals won ÷ a 16 % conversion rate → 37 demos (rounded up)" in page
    assert "⌈" not in page and "16.3552 %" not in page
    result = page[page.index('id="funnel-result"') :]
    rows = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in result.split("<tr>")]
    # 23 working days in December 2026: one deal every third working day, two a week; the
    # 37 demos and 124 calls need 2 and 6 a day.
    assert [row for row in rows if row] == [
        ["6", "2", "1 every 3 working days"],
        ["37", "8", "2"],
        ["124", "25", "6"],
    ]
