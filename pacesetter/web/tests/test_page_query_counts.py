"""The team page and the rep's page cost a fixed number of SQL queries: pinned exactly, and
the same with four times the goals and people, so that a query per goal or per person fails
here before it reaches a 100-goal team (issue 17; ``make bench`` times the pages). A new
metric or period may cost a query (progress asks once per metric and period).

These count what computing a page costs, so the page cache is off here; what a page served
from it costs is in ``test_page_cache.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pacesetter.conftest import PASSWORD, SINCE, SUITE_NOW, make_person
from pacesetter.goals.models import Goal
from pacesetter.org.models import Membership, Role
from pacesetter.web.tests.conftest import log_demos, make_goal

# The page's own queries: the org's settings, the session and the user are read again only
# after a write (web/middleware.py, web/sessions.py), and here nothing else writes.
TEAM_PAGE_QUERIES = 56
REP_PAGE_QUERIES = 36


@pytest.fixture(autouse=True)
def _computed_every_time(settings, quiet_database):
    settings.PAGE_CACHE_ENTRIES = 0


def _more_goals(web_org) -> None:
    """Four times the goals on the same metrics and periods: six more reps in Team Alpha with
    their goals and demos, and Alice three more goals (of other kinds) on each metric and
    period she has."""
    o, today = web_org.org, web_org.today
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    week = web_org.alice_entries
    for i in range(6):
        rep = make_person(f"Extra{i} Rep")
        Membership.objects.create(person=rep, unit=o.alpha, valid_from=SINCE)
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        make_goal("demos_held", start, end, 20, person=rep)
        make_goal("pd_events", start, end, 1, person=rep, kind="development", priority=9)
        log_demos(rep, 3 + i, start, today)
    for priority, kind in enumerate(("development", "waterfall", "stretch"), start=4):
        make_goal(
            "demos_held", start, end, 30 + priority, person=o.alice, priority=priority, kind=kind
        )
        make_goal(
            "pd_events",
            week.period_start,
            week.period_end,
            priority,
            person=o.alice,
            period_kind="week",
            priority=priority,
            kind=kind,
        )


def _page(client, url: str, expected: int, django_assert_num_queries) -> str:
    """The page, asked for twice: the second time costs exactly ``expected`` queries."""
    assert client.get(url).status_code == 200  # warm up: the session, user and settings row
    with django_assert_num_queries(expected):
        answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.time_machine(SUITE_NOW)
def test_the_team_page_costs_the_same_queries_with_four_times_the_goals(
    client, web_org, django_assert_num_queries
):
    client.login(username="mia", password=PASSWORD)
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    assert "Extra0 Rep" not in _page(client, url, TEAM_PAGE_QUERIES, django_assert_num_queries)
    _more_goals(web_org)
    page = _page(client, url, TEAM_PAGE_QUERIES, django_assert_num_queries)
    assert all(f"Extra{i} Rep" in page for i in range(6))


@pytest.mark.time_machine(SUITE_NOW)
def test_the_rep_page_costs_the_same_queries_with_four_times_the_goals(
    client, web_org, django_assert_num_queries
):
    client.login(username="alice", password=PASSWORD)
    url = reverse("home")

    def shown(page: str) -> int:
        alices = Goal.objects.filter(person=web_org.org.alice)
        return sum(reverse("goal_detail", args=[g.pk]) in page for g in alices)

    assert shown(_page(client, url, REP_PAGE_QUERIES, django_assert_num_queries)) == 2
    _more_goals(web_org)
    assert shown(_page(client, url, REP_PAGE_QUERIES, django_assert_num_queries)) == 8
