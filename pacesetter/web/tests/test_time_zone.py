"""Every date and time a page shows is the org's, not the server's: at 22:30 on Saturday
5 December in New York it is already Sunday 6 December in UTC, where the server keeps time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pacesetter.conftest import PASSWORD, set_org_time_zone

SATURDAY_EVENING_IN_NEW_YORK = dt.datetime(2026, 12, 6, 3, 30, tzinfo=dt.UTC)
pytestmark = pytest.mark.time_machine(SATURDAY_EVENING_IN_NEW_YORK, tick=False)


@pytest.fixture
def new_york(web_org):
    set_org_time_zone("America/New_York")
    return web_org


def test_a_change_in_the_goal_history_shows_the_orgs_date_and_time(client, new_york):
    client.login(username="rhea", password=PASSWORD)
    url = reverse("goal_detail", args=[new_york.bob_demos.pk])
    client.post(url, {"target": "25", "priority": "1", "reason": "ramping", "version": "1"})

    page = client.get(url).content.decode()

    assert '<time datetime="2026-12-05T22:30:00-05:00">12/05/2026 10:30 p.m.</time>' in page
    assert "12/06/2026" not in page


def test_the_reps_today_is_the_orgs_today(client, new_york):
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("home")).content.decode()
    assert "Dec. 5, 2026 · week 2026-W49" in page


def test_the_admin_shows_times_in_the_orgs_zone(client, new_york):
    client.login(username="rhea", password=PASSWORD)
    client.post(
        reverse("goal_detail", args=[new_york.bob_demos.pk]),
        {"target": "25", "priority": "1", "reason": "ramping", "version": "1"},
    )
    client.login(username="olga", password=PASSWORD)
    page = client.get(reverse("admin:goals_goalchange_changelist")).content.decode()
    assert "Dec. 5, 2026, 10:30 p.m." in page


def test_a_new_time_zone_is_the_next_page_s_though_the_org_is_read_once_per_change(
    client, new_york
):
    """The org's settings are kept between requests until anything is written (a query less
    per page); a change of zone is a write, and the very next page is in the new zone."""
    client.login(username="alice", password=PASSWORD)
    assert "Dec. 5, 2026" in client.get(reverse("home")).content.decode()
    set_org_time_zone("Asia/Tokyo")  # 12:30 on Sunday 6 December there
    assert "Dec. 6, 2026 · week 2026-W49" in client.get(reverse("home")).content.decode()
