"""Burn-up charts: the day-by-day series costs one query per metric for a rep, adds up to
the goal's actual, and the pace line climbs to the target by the period's end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.progress import goal_progress
from pacesetter.web.burnup import HEIGHT, burnup, series_by_metric
from pacesetter.web.tests.conftest import make_goal


def test_one_query_per_metric_whatever_the_number_of_goals(web_org, django_assert_num_queries):
    bob, today = web_org.org.bob, web_org.today
    week = make_goal(
        "demos_held",
        today - dt.timedelta(days=3),
        today + dt.timedelta(days=4),
        5,
        person=bob,
        period_kind="week",
    )
    results = goal_progress([web_org.bob_demos, week], today)
    zone = OrgSettings.load().zone
    with django_assert_num_queries(1):
        series = series_by_metric(results, bob.pk, zone)
    assert sum(series["demos_held"].values()) == Decimal(2)  # Bob's two demos


def test_the_chart_ends_at_the_actual_and_the_pace_line_at_the_target(web_org):
    today = web_org.today
    progress = goal_progress([web_org.bob_demos], today)[0]
    series = series_by_metric([progress], web_org.org.bob.pk, OrgSettings.load().zone)
    chart = burnup(progress, series["demos_held"], today, work_calendar())
    *_, last_pace = chart.pace_points.split()
    assert float(last_pace.split(",")[1]) == chart.target_y  # the pace reaches the target
    *_, last_actual = chart.actual_points.split()
    assert float(last_actual.split(",")[1]) < HEIGHT - 30  # above the baseline: 2 demos
    assert chart.today_x is not None and chart.projection is not None
