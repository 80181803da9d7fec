"""The rep's page at the edges of periods, in the org's zone (New York): the last evening of
a quarter, a Sunday that opens a year, a leap day, the night summer time ends. Each test
pins its own instant; the server's clock is UTC, where the day has often already turned."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from pacesetter.conftest import PASSWORD, set_org_time_zone
from pacesetter.ledger.models import Activity, ManualEntry
from pacesetter.ledger.rollups import rebuild
from pacesetter.web.tests.conftest import make_goal

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def rep(client, small_org):
    set_org_time_zone("America/New_York")
    client.login(username="alice", password=PASSWORD)
    return small_org.alice


def home(client, **params) -> str:
    return client.get(reverse("home"), params).content.decode()


@pytest.mark.time_machine(dt.datetime(2027, 3, 31, 23, 30, tzinfo=NEW_YORK))
def test_the_last_evening_of_a_quarter_still_belongs_to_it(client, rep):
    q1 = make_goal("demos_held", dt.date(2027, 1, 1), dt.date(2027, 4, 1), 2, person=rep,
                   period_kind="quarter")  # fmt: skip
    q2 = make_goal("demos_held", dt.date(2027, 4, 1), dt.date(2027, 7, 1), 2, person=rep,
                   period_kind="quarter")  # fmt: skip
    for minute, external_id in ((5, "a"), (15, "b")):  # 23:05 and 23:15 in New York
        Activity.objects.create(
            source="t", external_id=external_id, kind="demo", person=rep,
            occurred_at=dt.datetime(2027, 3, 31, 23, minute, tzinfo=NEW_YORK),
        )  # fmt: skip
    rebuild()

    page = home(client)

    assert "March 31, 2027" in page
    assert f'id="goal-{q1.pk}" data-status="achieved"' in page  # both demos are Q1's
    assert f'id="goal-{q2.pk}"' not in page  # Q2 has not begun in New York


@pytest.mark.time_machine(dt.datetime(2027, 1, 3, 9, 0, tzinfo=NEW_YORK))
def test_on_the_sunday_that_opens_a_year_the_new_years_days_count_in_the_new_year(client, rep):
    """Weeks start on Monday: Sunday 3 January 2027 ends the week of 28 December."""
    year_2027 = make_goal("pd_events", dt.date(2027, 1, 1), dt.date(2028, 1, 1), 12, person=rep,
                          period_kind="year")  # fmt: skip
    page = home(client)
    assert 'name="pd_events@2026-12-28"' in page and 'name="pd_events@2027-01-01"' in page

    client.post(
        reverse("week_numbers"),
        {"week": "2026-W53", "pd_events@2026-12-28": "2", "pd_events@2027-01-01": "1"},
    )

    messages = [str(m) for m in client.get(reverse("home")).context["messages"]]
    assert messages == ["Saved. Goals updated: Professional-development events (2027)."]
    assert f'id="goal-{year_2027.pk}"' in home(client)
    parts = dict(ManualEntry.objects.values_list("first_day", "value"))
    assert parts == {dt.date(2026, 12, 28): 2, dt.date(2027, 1, 1): 1}


@pytest.mark.time_machine(dt.datetime(2028, 2, 29, 12, 0, tzinfo=dt.UTC))
def test_a_leap_day_is_a_day_of_february_and_its_week_is_cut_on_1_march(client, rep):
    february = make_goal("pd_events", dt.date(2028, 2, 1), dt.date(2028, 3, 1), 1, person=rep)
    page = home(client)
    assert "Feb. 29, 2028" in page
    assert 'name="pd_events@2028-02-28"' in page and 'name="pd_events@2028-03-01"' in page

    client.post(reverse("week_numbers"), {"week": "2028-W09", "pd_events@2028-02-28": "1"})

    assert f'id="goal-{february.pk}" data-status="achieved"' in home(client)


@pytest.mark.time_machine(dt.datetime(2027, 11, 7, 6, 30, tzinfo=dt.UTC))
def test_the_night_summer_time_ends_is_still_sunday_7_november(client, rep):
    """06:30 UTC is 01:30 in New York for the second time that night (EST)."""
    week = make_goal("pd_events", dt.date(2027, 11, 1), dt.date(2027, 11, 8), 1, person=rep,
                     period_kind="week")  # fmt: skip
    page = home(client)
    assert "Nov. 7, 2027 · week 2027-W44" in page
    assert 'name="pd_events"' in page  # 1-7 November: one month, one number

    client.post(reverse("week_numbers"), {"week": "2027-W44", "pd_events": "1"})

    assert ManualEntry.objects.get().first_day == dt.date(2027, 11, 1)
    assert f'id="goal-{week.pk}" data-status="achieved"' in home(client)
