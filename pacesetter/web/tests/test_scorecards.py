"""The scorecard page, the focus panel with its Accept button, and realism chips on the goal
and check-in pages — dated around today, so they hold whatever day the tests run."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import PASSWORD, make_person
from pacesetter.goals.models import Goal
from pacesetter.ledger.models import Activity, Deal
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import Membership, Role
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.planning.calendar import add_months
from pacesetter.tracking.progress import goal_progress
from pacesetter.web.panels import goal_chance
from pacesetter.web.tests.conftest import ensure_metric_catalog, make_goal


def _activities(person, kind: str, count: int, start: dt.date, end: dt.date) -> None:
    days = planning.working_days((start, end), work_calendar())
    Activity.objects.bulk_create(
        Activity(
            source="test",
            external_id=f"{kind}-{person.pk}-{start}-{i}",
            kind=kind,
            person=person,
            occurred_at=dt.datetime.combine(days[i % len(days)], dt.time(12), tzinfo=dt.UTC),
        )
        for i in range(count)
    )


@pytest.fixture
def last_month(small_org):
    """Alice's goals of the month before last: revenue 80 % (missed, priority 1), calls
    150 % (met, priority 2), e-mails 50 % (missed, priority 3)."""
    ensure_metric_catalog()
    today = today_in_org()
    month = planning.month_of(add_months(planning.month_of(today).start, -2))
    alice = small_org.alice
    Deal.objects.create(
        source="test",
        external_id="d1",
        owner=alice,
        amount=Decimal("8000"),
        stage="Closed Won",
        status="won",
        created_on=month.start,
        closed_on=month.start + dt.timedelta(days=9),
    )
    _activities(alice, "call", 150, month.start, month.end)
    _activities(alice, "email", 20, month.start, month.end)
    rebuild()
    goals = [
        make_goal("emails_sent", month.start, month.end, 40, person=alice, priority=3),
        make_goal("revenue_won", month.start, month.end, 10000, person=alice, priority=1),
        make_goal("calls_made", month.start, month.end, 100, person=alice, priority=2),
    ]
    return small_org, month, goals


def test_the_scorecard_lists_goals_in_priority_order_and_flags_the_top_miss(client, last_month):
    org, month, (emails, revenue, calls) = last_month
    client.login(username="mia", password=PASSWORD)

    page = client.get(
        reverse("person_scorecard", args=[org.alice.pk]), {"period": month.label}
    ).content.decode()

    links = [page.index(reverse("goal_detail", args=[g.pk])) for g in (revenue, calls, emails)]
    assert links == sorted(links)
    assert 'id="top-missed"' in page
    assert "80 %</text>" in page  # the gauge: (6·0.8 + 3·1 + 2·0.5) / 11
    assert page.count('class="mark missed"') == 2 and page.count('class="mark met"') == 1


def test_a_rep_sees_their_own_scorecard(client, last_month):
    org, month, _goals = last_month
    client.login(username="alice", password=PASSWORD)

    response = client.get(reverse("person_scorecard", args=[org.alice.pk]), {"period": month.label})

    assert response.status_code == 200
    assert "Scorecard" in response.content.decode()


def test_a_goal_still_open_is_coloured_by_its_pace_not_green_by_default(client, small_org):
    """This month's revenue goal of $1,000,000 with nothing won: its bar takes the goal
    card's status colour (at risk or behind once the month is under way)."""
    ensure_metric_catalog()
    today = today_in_org()
    month = planning.month_of(today)
    goal = make_goal("revenue_won", month.start, month.end, 1000000, person=small_org.alice)
    (progress,) = goal_progress([goal], today)
    client.login(username="alice", password=PASSWORD)

    page = client.get(reverse("person_scorecard", args=[small_org.alice.pk])).content.decode()

    assert f'class="fill open {progress.status}"' in page


def test_the_focus_panel_is_for_reps_not_for_a_managers_own_scorecard(client, small_org):
    client.login(username="mia", password=PASSWORD)

    own = client.get(reverse("person_scorecard", args=[small_org.manager.pk])).content.decode()
    rep = client.get(reverse("person_scorecard", args=[small_org.alice.pk])).content.decode()

    assert 'id="focus"' not in own
    assert 'id="focus"' in rep


def test_the_scorecard_tab_is_lit_on_ones_own_scorecard_only(client, small_org):
    """The nav's Scorecard is Mia's own: looking at Alice's, it is not the page she is on."""
    client.login(username="mia", password=PASSWORD)
    mine = reverse("person_scorecard", args=[small_org.manager.pk])
    lit = f'<a href="{mine}" aria-current="page">'

    assert lit in client.get(mine).content.decode()
    alices = client.get(reverse("person_scorecard", args=[small_org.alice.pk])).content.decode()
    assert f'<a href="{mine}" >' in alices and lit not in alices


def test_the_chance_names_the_target_as_the_goal_card_does(client, small_org):
    """planning.realism writes "reached 22045" (it knows no units); the goal page is handed
    the target in money, as the goal card writes it."""
    ensure_metric_catalog()
    today = today_in_org()
    month = planning.month_of(today)
    first = add_months(month.start, -6)  # the ledger starts here: six months of history
    Deal.objects.create(
        source="test",
        external_id="first",
        owner=small_org.bob,
        amount=Decimal("100"),
        stage="Closed Won",
        status="won",
        created_on=first,
        closed_on=first,
    )
    goal = make_goal("revenue_won", month.start, month.end, 22045, person=small_org.alice)

    found = goal_chance(goal, today)

    assert re.fullmatch(
        r"0 of 6 past months \(scaled to .+\) reached \$22,045\.00", str(found.explanation)
    )
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "reached $22,045.00" in page and "reached 22045" not in page


def test_a_bad_period_is_not_found(client, last_month):
    org, _month, _goals = last_month
    client.login(username="mia", password=PASSWORD)
    url = reverse("person_scorecard", args=[org.alice.pk])
    assert client.get(url, {"period": "someday"}).status_code == 404
    assert client.get(url, {"period": "2026-Q1"}).status_code == 404


@pytest.fixture
def junior(small_org):
    """Dave joined Team Alpha two months ago and converts calls to demos at 10 % against
    his teammates' 30 % and 40 %; 130 calls in 13 weeks → 10 a week → 11 proposed."""
    ensure_metric_catalog()
    today = today_in_org()
    week = planning.week_of(today, work_calendar())
    start = week.start - dt.timedelta(weeks=13)
    hired = today - dt.timedelta(days=60)
    dave = make_person("Dave Junior", hire=hired)
    Membership.objects.create(person=dave, unit=small_org.alpha, valid_from=hired)
    Role.objects.create(person=dave, kind=Role.Kind.REP)
    for person, calls, demos in [(small_org.alice, 100, 30), (small_org.bob, 100, 40),
                                 (dave, 130, 13)]:  # fmt: skip
        _activities(person, "call", calls, start, week.start)
        _activities(person, "demo", demos, start, week.start)
    small_org.dave = dave
    return small_org


def test_the_manager_sees_a_juniors_focus_area_and_accepts_it_once(client, junior):
    client.login(username="mia", password=PASSWORD)
    page = client.get(reverse("person_detail", args=[junior.dave.pk])).content.decode()

    assert "calls → demos is 71 % below the team&#x27;s median" in page
    assert 'id="accept-focus"' in page

    url = reverse("person_focus_accept", args=[junior.dave.pk])
    first = client.post(url)
    second = client.post(url)

    goal = Goal.objects.get(person=junior.dave)
    assert (goal.metric, goal.period_kind, goal.target) == ("calls_made", "week", Decimal(11))
    assert first["Location"] == second["Location"] == reverse("goal_detail", args=[goal.pk])
    page = client.get(reverse("person_detail", args=[junior.dave.pk])).content.decode()
    assert "Already set for that week" in page


def test_a_rep_sees_their_focus_area_but_may_not_accept_it(client, junior):
    dave = junior.dave
    client.login(username="dave", password=PASSWORD)

    page = client.get(reverse("person_detail", args=[dave.pk])).content.decode()
    response = client.post(reverse("person_focus_accept", args=[dave.pk]))

    assert "calls → demos" in page and 'id="accept-focus"' not in page
    assert response.status_code == 403
    assert not Goal.objects.filter(person=dave).exists()


def test_a_seasoned_rep_gets_a_focus_area_on_request(client, junior):
    client.login(username="mia", password=PASSWORD)
    url = reverse("person_detail", args=[junior.alice.pk])

    assert "Suggest a focus area" in client.get(url).content.decode()
    # Alice: 30 % against median(40 %, 10 %) = 25 %: no stage is behind.
    page = client.get(url, {"focus": "any"}).content.decode()
    assert "at or above the team&#x27;s median in every stage" in page


def test_the_goal_page_and_the_check_in_show_the_goals_chance(client, junior):
    today = today_in_org()
    month = planning.month_of(today)
    goal = make_goal("calls_made", month.start, month.end, 40, person=junior.dave, priority=1)
    client.login(username="mia", password=PASSWORD)

    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()

    # Two months with the company, the hire month at ramp 0: one or two months to learn from.
    assert 'data-verdict="not_enough_history"' in page
    assert re.search(r"only [12] past months with data; 6 needed", page)

    client.logout()
    client.login(username="dave", password=PASSWORD)
    page = client.get(reverse("goal_checkin", args=[goal.pk])).content.decode()
    assert 'data-verdict="not_enough_history"' in page
