"""What a form says after a bad POST, in Simplified Chinese: no English word left.

The crawl (``test_zh_hans_crawl.py``) reads every page as it is first shown; this posts what
the forms refuse — a plan the cascade cannot spread, a waterfall that cannot step, a funnel
without history, a goal for a period that does not exist, a weekly number below zero — and
asks for a period that does not exist, and reads the answer with the crawl's rules. The
planning core's reasons (``planning.PlanningError``) are shown from their explanation in
the reader's language; the same error still reads in English for the command.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import make_person
from pacesetter.ledger.models import Activity
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Membership, Role, Unit
from pacesetter.org.selectors import work_calendar
from pacesetter.web.forms.entries import week_field_name
from pacesetter.web.tests.test_zh_hans_crawl import (
    ALLOWED,
    WORD,
    CrawlOrg,
    check,
    check_html,
    make_crawl_org,
    zh_client,
)


@pytest.fixture
def crawl_org(small_org) -> CrawlOrg:
    """The crawl's org (``test_zh_hans_crawl.make_crawl_org``)."""
    return make_crawl_org(small_org)


def answered(o: CrawlOrg, response, where: str, says: str, typed: str = "") -> None:
    """The answer names the problem (``says``, in Chinese) with no English word but those of
    the value the user ``typed`` (an answer may quote it)."""
    html = response.content.decode()
    assert says in html, f"{where}: {says!r} not in the answer"
    problem = check(response, where, o.names, ALLOWED | set(WORD.findall(typed)))
    assert not problem, problem


def test_a_plan_the_cascade_refuses_is_explained_in_chinese(crawl_org):
    o = crawl_org
    client = zh_client("olga")
    form = {
        "name": "next-year",
        "year": o.today.year + 1,
        "annual_target": "1200000",
        "seasonality": "flat",
        "ramp": "50,25",  # a ramp that goes down
        "over_assign": "1.1",
        "drag_percent": "10",
        "drag_months": "2",
    }
    response = client.post(reverse("plan_new"), form)
    answered(o, response, "plan (ramp)", "爬坡系数不能下降")
    # Three months of revenue are not a year to learn seasonality from: the page names its
    # own choice, not the command's option.
    response = client.post(reverse("plan_new"), {**form, "ramp": "0,50,100", "seasonality":
                                                 "learned"})  # fmt: skip
    answered(o, response, "plan (seasonality)", "请选择平均季节性")


def test_a_waterfall_that_cannot_step_is_explained_in_chinese(crawl_org):
    o = crawl_org
    cal = work_calendar()
    monday = planning.week_of(o.today, cal).end
    client = zh_client("mia")
    form = {
        "person": o.people["bob"].pk,
        "metric": "calls_made",
        "baseline": "0",
        "target": "50",
        "percent": "10",
        "every": "week",
        "start": monday.isoformat(),
    }
    response = client.post(reverse("goal_waterfall"), form)
    answered(o, response, "waterfall (percent of 0)", "按百分比递增需要大于 0 的基线")
    tuesday = monday + dt.timedelta(days=1)
    form = {**form, "baseline": "10", "percent": "", "step": "5", "start": tuesday.isoformat()}
    response = client.post(reverse("goal_waterfall"), form)
    answered(o, response, "waterfall (start)", "每周一步时必须从星期一开始")


def test_a_funnel_without_history_is_explained_in_chinese(crawl_org):
    o = crawl_org
    gamma = Unit.objects.create(name="Team Gamma", kind="team", parent=o.units["region"])
    fay = make_person("Fay Fox")
    Role.objects.create(person=fay, kind=Role.Kind.REP)
    Membership.objects.create(person=fay, unit=gamma, valid_from=dt.date(2025, 1, 1))
    o.names = sorted({*o.names, "Team Gamma", "Fay Fox", "Fay", "FF"}, key=len, reverse=True)
    client = zh_client("olga")
    month = planning.month_of(o.today)
    form = {"person": fay.pk, "revenue": "20000", "period": month.label}
    response = client.post(reverse("goal_funnel"), form)
    answered(o, response, "funnel (no history)", "请填写两个转化率和平均成交金额")
    assert not Activity.objects.filter(person=fay).exists()


def test_a_goal_for_a_period_that_does_not_exist_is_explained_in_chinese(crawl_org):
    o = crawl_org
    client = zh_client("mia")
    form = {
        "assign_to": "person",
        "person": o.people["bob"].pk,
        "metric": "calls_made",
        "kind": "standard",
        "period_kind": "month",
        "period": f"{o.today.year}-13",
        "target": "100",
        "priority": "3",
    }
    response = client.post(reverse("goal_new"), form)
    answered(o, response, "goal (month 13)", "月份写作")
    response = client.post(reverse("goal_new"), {**form, "period": "soon"})
    answered(o, response, "goal (no period)", "月份写作", typed="soon")
    # A stretch tier of a goal that is not there.
    next_month = planning.month_of(planning.month_of(o.today).end).label
    response = client.post(reverse("goal_new"), {**form, "kind": "stretch", "period": next_month})
    answered(o, response, "goal (stretch)", "无法设定挑战档")


@pytest.mark.parametrize("value", ["-5", "很多"])
def test_a_weekly_number_the_form_refuses_is_explained_in_chinese(crawl_org, value):
    o = crawl_org
    cal = work_calendar()
    week = planning.week_of(o.today, cal)
    parts = planning.week_parts(week)
    metric = Metric.objects.get(name="pd_events")
    field = week_field_name(metric, parts[-1][0], parts)
    client = zh_client("alice")
    response = client.post(reverse("week_numbers"), {"week": week.label, field: value})
    assert response.status_code == 200
    problem = check_html(response.content.decode(), f"weekly numbers ({value})", o.names,
                         ALLOWED)  # fmt: skip
    assert not problem, problem
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize("page", ["unit_collective", "unit_competition"])
def test_a_period_that_does_not_exist_is_answered_in_chinese(crawl_org, page):
    o = crawl_org
    client = zh_client("mia")
    url = reverse(page, args=[o.units["alpha"].pk])
    for period, says in (("2026-Q5", "季度必须是 1 到 4"), ("someday", "周期标签")):
        response = client.get(f"{url}?period={period}")
        assert response.status_code == 400
        text = response.content.decode()
        assert says in text, text
        allowed = ALLOWED | set(WORD.findall(period))  # the period asked for, quoted back
        problem = check(response, f"{page}?period={period}", o.names, allowed)
        assert not problem, problem
    # The command and the logs still read the English sentence.
    with pytest.raises(planning.PlanningError, match="quarter must be 1 to 4, got 5"):
        planning.parse_period("2026-Q5", work_calendar())
