"""The goal page's forecast and coverage with their explanation, the sparkline of monthly
attainment on the goal card, a count's projection in whole units, and who may see them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Activity, Deal
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import OrgSettings

d = dt.date
NOV, DEC = d(2026, 11, 1), d(2026, 12, 1)  # "today" is Wednesday 18 November 2026


def goal(person, metric: str, target: str, start=NOV, end=DEC) -> Goal:
    return Goal.objects.create(
        metric=metric, person=person, period_kind="month", period_start=start, period_end=end,
        target=Decimal(target), priority=1,
    )  # fmt: skip


def deal(owner, n: int, amount: str, status: str, created: dt.date, closed: dt.date | None):
    Deal.objects.create(
        source="test", external_id=f"d{n}", owner=owner, amount=Decimal(amount), stage="x",
        status=status, created_on=created, closed_on=closed,
    )  # fmt: skip


@pytest.fixture
def revenue(small_org):
    alice = small_org.alice
    goal(alice, "revenue_won", "10000", d(2026, 10, 1), NOV)
    nov = goal(alice, "revenue_won", "50000")
    deal(alice, 1, "12000", "won", d(2026, 9, 1), d(2026, 10, 1))  # October: 120 %
    deal(alice, 2, "10000", "won", d(2026, 10, 20), d(2026, 11, 3))
    deal(alice, 3, "8000", "open", d(2026, 11, 2), None)
    rebuild()
    return nov


def client_of(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_goal_page_shows_the_forecast_coverage_and_how_they_were_computed(
    small_org, revenue, django_assert_max_num_queries, quiet_database
):
    client = client_of(small_org.alice)
    # The trend adds 5 queries (metric, settings, holidays, goals, rollups), the forecast 5
    # (the team: two; the history: two; the open deals), whatever the number of deals.
    with django_assert_max_num_queries(35):
        page = client.get(reverse("goal_detail", args=[revenue.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    forecast = page.context["forecast"].forecast
    # One win, cycle 42 days from the own history: the open deal is expected 14 Dec, after
    # the period; the run rate is 10,000 over 12 working days gone, 9 left.
    assert forecast.won == Decimal("10000")
    assert forecast.run_rate == Decimal("7500.00")
    assert (forecast.counted, forecast.pipeline) == (0, 0)
    assert 'id="forecast"' in html
    assert "Forecast at period end: <b>$17,500.00</b>" in html
    assert "Pipeline coverage: <b>0.0×</b>" in html
    assert "How was this computed?" in html
    assert "$17,500.00 = $10,000.00 won so far + $7,500.00 more at the run rate" in html
    assert "open deals left out: 1, expected to close after 30 Nov" in html
    # The card's sparkline: October met 120 %, November 20 % so far.
    svg = re.search(r'<svg class="sparkline"[^>]*aria-label="([^"]*)"', html)
    assert svg is not None
    assert "2026-10: 120 %" in svg.group(1)
    assert "2026-11 (to date): 20 %" in svg.group(1)
    assert "2026-09: no goal" in svg.group(1)
    assert "<title>Attainment by month:" in html


def test_the_forecast_and_sparkline_are_refused_to_whoever_may_not_see_the_goal(small_org, revenue):
    url = reverse("goal_detail", args=[revenue.pk])
    assert client_of(small_org.bob).get(url).status_code == 404  # a teammate rep
    assert client_of(small_org.charlie).get(url).status_code == 404  # another team
    assert client_of(small_org.manager).get(url).status_code == 200  # Alice's manager
    assert Client().get(url).status_code == 302  # not logged in: to the login page


def test_a_count_goal_has_no_forecast_and_projects_whole_units(small_org):
    alice = small_org.alice
    meetings = goal(alice, "meetings_booked", "40")
    zone = OrgSettings.load().zone
    Activity.objects.bulk_create(
        Activity(source="test", external_id=f"m{i}", kind="meeting_booked", person=alice,
                 occurred_at=dt.datetime(2026, 11, 2 + i % 10, 11, tzinfo=zone))
        for i in range(17)
    )  # fmt: skip
    rebuild()
    page = client_of(alice).get(reverse("goal_detail", args=[meetings.pk]))
    html = page.content.decode()
    assert page.context["forecast"] is None and 'id="forecast"' not in html
    # 17 meetings over 12 of 21 working days run to 29.75: read as a whole number.
    assert page.context["card"].progress.projected == Decimal("29.75")
    assert "Projected end: <b>30</b>" in html
