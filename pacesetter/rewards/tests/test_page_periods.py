"""Issue 15: the Rewards page reaches any past period. Early in December every rep used to
read "No rewards earned" with no way back to November's payouts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pacesetter.conftest import PASSWORD

from .conftest import NOVEMBER, TODAY, active_rule, compute, make_goal

EARLY_DECEMBER = "2026-12-07 10:00 -05:00"


@pytest.fixture
def november(small_org, books, program, bonus):
    """Alice met her November revenue goal and earned the $250 bonus; Bob did not."""
    o = small_org
    for rep in (o.alice, o.bob):
        make_goal("revenue_won", 10000, person=rep, start=NOVEMBER.start, end=NOVEMBER.end)
    active_rule(program, bonus, metric="revenue_won", period_kind="month")
    books.won(o.alice, "12000")
    books.won(o.bob, "3000")
    compute(TODAY, NOVEMBER)
    return o


def get(client, who: str, **params: str):
    assert client.login(username=who, password=PASSWORD)
    return client.get(reverse("rewards"), params)


def section(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.time_machine(EARLY_DECEMBER)
def test_early_in_a_month_the_page_shows_the_last_month_with_rewards_and_says_so(client, november):
    page = get(client, "alice").content.decode()

    assert "<small>2026-11</small>" in page
    assert "No rewards for 2026-12 yet: this is 2026-11, the last period with rewards." in page
    assert "$250.00" in section(page, "my-rewards")
    assert 'href="?period=2026-10"' in page and 'href="?period=2026-12"' in page


@pytest.mark.time_machine(EARLY_DECEMBER)
def test_any_past_month_is_reached_by_its_label_and_the_list_offers_them(client, november):
    page = get(client, "mia", period="2026-11").content.decode()

    assert 'id="fallback"' not in page
    payout = section(page, "payout")
    assert "Alice Adams" in payout and "$250.00" in payout
    assert '<option value="2026-11" selected>2026-11</option>' in page
    assert re.search(r'<option value="2026-12">2026-12</option>\s*<option value="2026-11"', page)

    october = get(client, "mia", period="2026-10").content.decode()
    assert "No rewards earned in this period yet." in october
    assert 'href="?period=2026-11" rel="next"' in october


@pytest.mark.time_machine(EARLY_DECEMBER)
def test_a_past_quarter_and_year_are_reached_too(client, november):
    quarter = get(client, "olga", period="2026-Q4").content.decode()
    assert "<small>2026-Q4</small>" in quarter and "$250.00" in section(quarter, "payout")
    assert 'href="?period=2026-Q3" rel="prev"' in quarter

    year = get(client, "olga", period="2025").content.decode()
    assert "<small>2025</small>" in year and "Alice Adams" not in year
    assert 'href="?period=2026" rel="next"' in year


@pytest.mark.time_machine(EARLY_DECEMBER)
def test_the_current_month_asked_for_is_shown_even_without_rewards(client, november):
    page = get(client, "alice", span="month", period="2026-12").content.decode()

    assert "<small>2026-12</small>" in page and 'id="fallback"' not in page
    assert 'rel="next"' not in page  # nothing after the current month


@pytest.mark.time_machine(EARLY_DECEMBER)
@pytest.mark.parametrize(
    ("label", "says"),
    [
        ("2027-01", "2027-01 has not begun: choose 2026-12 or an earlier period."),
        ("2026-W49", "Write the month as 2026-12, the quarter as 2026-Q4, the year as 2026."),
        ("last month", "Write the month as 2026-12, the quarter as 2026-Q4, the year as 2026."),
    ],
)
def test_a_period_to_come_or_of_another_kind_is_refused_in_plain_words(
    client, november, label, says
):
    response = get(client, "alice", period=label)

    assert response.status_code == 400
    assert says in response.content.decode()


@pytest.mark.time_machine(EARLY_DECEMBER)
def test_a_past_period_shows_a_rep_only_their_own_rewards(client, november):
    """Bob reaches November too, and sees no one's award (Alice's stays hers)."""
    page = get(client, "bob", period="2026-11").content.decode()

    assert "Alice Adams" not in page and "$250.00" not in page and 'id="payout"' not in page
    assert "No rewards earned in this period yet." in section(page, "my-rewards")

    fallback = get(client, "bob").content.decode()
    assert 'id="fallback"' not in fallback and "<small>2026-12</small>" in fallback


@pytest.mark.parametrize("label", ["0001-01", "0001", "9999-12"])
def test_the_edges_of_the_calendar_are_not_a_crash(client, november, label):
    response = get(client, "olga", period=label)

    assert response.status_code in (200, 400)
    assert 'rel="prev"' not in response.content.decode()
