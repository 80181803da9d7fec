"""The manager's team page: at-risk reps first with what each needs; a fixed number of
queries however many reps the team has."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import PASSWORD, make_person
from pacesetter.ledger.models import Activity
from pacesetter.org.models import Membership, OrgSettings, Role
from pacesetter.org.selectors import work_calendar
from pacesetter.web.tests.conftest import log_demos, make_goal


def bob_history(bob, per_day: int = 3) -> None:
    """Six months before the goal's period, Bob held three demos a working day."""
    zone = OrgSettings.load().zone
    days = planning.working_days((dt.date(2026, 4, 29), dt.date(2026, 10, 29)), work_calendar())
    Activity.objects.bulk_create(
        Activity(source="test", external_id=f"hist-{bob.pk}-{d}-{i}", kind="demo", person=bob,
                 occurred_at=dt.datetime.combine(d, dt.time(9 + i), tzinfo=zone))
        for d in days
        for i in range(per_day)
    )  # fmt: skip


def test_the_rep_likely_to_miss_comes_first_with_the_one_thing_to_do_and_why(client, web_org):
    """Bob (2 of 30 demos, eight working days left, three a day in the past) is likely to miss
    and can still make it; Alice has met hers; Charlie is in another team."""
    bob_history(web_org.org.bob)
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("unit_team", args=[web_org.org.alpha.pk])).content.decode()
    attention = page[page.index('id="attention"') :]
    attention = attention[: attention.index("</section>")]
    assert "Bob Brown" in attention and "Alice Adams" not in attention
    assert "Demos held: 22 more by Fri 20 Nov" in attention  # on pace by Friday: 24
    why = "23 % chance to meet it — 2 of 30 done, 28 to go, 8 working days left; judged on"
    assert why + " the rep&#x27;s own history" in attention
    grid = page[page.index('id="grid"') :]
    assert grid.index("Bob Brown") < grid.index("Alice Adams")
    assert "Charlie Chen" not in page  # another team


def test_without_history_nobody_is_called_in_on_pace_alone(client, web_org):
    """Bob is behind by pace, but nothing says how he usually does: no guess on the list,
    the grid still shows him behind."""
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("unit_team", args=[web_org.org.alpha.pk])).content.decode()
    attention = page[page.index('id="attention"') :]
    attention = attention[: attention.index("</section>")]
    assert "data-person" not in attention
    assert 'class="cell behind"' in page


def test_the_team_page_shows_the_collective_goal_and_leaderboard(client, web_org):
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("unit_team", args=[web_org.org.alpha.pk])).content.decode()
    assert f'id="goal-{web_org.alpha_meetings.pk}"' in page
    assert 'id="leaderboard"' in page


def _add_reps(web_org, n: int) -> None:
    o, today = web_org.org, web_org.today
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    for i in range(n):
        rep = make_person(f"Extra{i} Rep")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=o.alpha, valid_from=dt.date(2025, 1, 1))
        make_goal("demos_held", start, end, 20, person=rep, priority=1)
        make_goal("pd_events", start, end, 1, person=rep, kind="development")
        log_demos(rep, i, start, today)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_team_page_costs_the_same_queries_for_two_reps_or_twelve(
    client, web_org, quiet_database, settings
):
    settings.PAGE_CACHE_ENTRIES = 0  # computed each time (what a kept page costs: test_page_cache)
    client.login(username="mia", password=PASSWORD)
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    _queries(client, url)  # warm up: sessions, settings rows
    few = _queries(client, url)
    _add_reps(web_org, 10)
    _queries(client, url)  # after writes the org's settings are read again, once
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 reps, {many} for 12"
    assert many <= 60  # progress now and a week ago, the risk's history, the health


def test_the_rep_page_has_a_burn_up_chart_and_the_history(client, web_org):
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("person_detail", args=[web_org.org.bob.pk])).content.decode()
    assert '<figure class="burnup">' in page and "<polyline" in page
    assert 'id="history"' in page and "test goal" in page


def test_a_mentor_sees_only_the_development_goals_of_a_mentee(client, web_org):
    client.login(username="charlie", password=PASSWORD)
    page = client.get(reverse("person_detail", args=[web_org.org.bob.pk])).content.decode()
    assert f'id="goal-{web_org.bob_development.pk}"' in page
    assert f'id="goal-{web_org.bob_demos.pk}"' not in page
    home = client.get(reverse("home")).content.decode()
    assert 'id="mentees"' in home and f'id="goal-{web_org.bob_development.pk}"' in home


def test_the_team_page_leads_to_the_team_board_and_the_plans_workbook(client, web_org):
    """A manager reaches the collective goal, the competition and the sales-plan workbook
    of the plan in force from their team's page; without an active plan, no workbook link."""
    from pacesetter.goals.models import Plan
    from pacesetter.org.selectors import today_in_org

    alpha = web_org.org.alpha.pk
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("unit_team", args=[alpha])).content.decode()
    assert reverse("unit_collective", args=[alpha]) in page
    assert reverse("unit_competition", args=[alpha]) in page
    assert "/workbook/" not in page

    plan = Plan.objects.create(
        name="FY", version=1, status=Plan.Status.ACTIVE, annual_target=Decimal(1000),
        fiscal_year=today_in_org().year,
    )  # fmt: skip
    page = client.get(reverse("unit_team", args=[alpha])).content.decode()
    assert reverse("plan_workbook_upload", args=[plan.pk]) in page
