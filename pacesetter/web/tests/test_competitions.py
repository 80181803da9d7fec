"""The team's collective-goal page and competition page, as the team sees them.

``web_org``'s goals run from 20 days ago to 10 days ahead: Alice has done her 30 demos,
Bob 2 of his 30.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacesetter.conftest import PASSWORD, make_person
from pacesetter.goals.models import CollectiveExclusion
from pacesetter.ledger.models import Activity
from pacesetter.org.models import Membership, OrgSettings, Role
from pacesetter.web.tests.conftest import log_demos, make_goal


def _period(web_org) -> tuple[dt.date, dt.date]:
    return web_org.alice_demos.period_start, web_org.alice_demos.period_end


def _collective(web_org):
    start, end = _period(web_org)
    return make_goal("demos_held", start, end, 60, unit=web_org.org.alpha, kind="collective")


def _competition(web_org):
    start, end = _period(web_org)
    return make_goal("demos_held", start, end, 60, unit=web_org.org.alpha, kind="competition")


def _more_demos(person, count: int, day: dt.date) -> None:
    """``count`` more demos on ``day`` (``log_demos`` numbers its rows from 0 each time)."""
    when = dt.datetime.combine(day, dt.time(15), tzinfo=OrgSettings.load().zone)
    Activity.objects.bulk_create(
        Activity(
            source="test",
            external_id=f"more-{person.pk}-{i}",
            kind="demo",
            person=person,
            occurred_at=when,
        )
        for i in range(count)
    )


def _chip(page: str, person) -> str:
    start = page.index(f'data-person="{person.pk}"')
    return page[start : page.index("</li>", start)]


def test_a_rep_sees_who_met_and_who_is_short_in_their_team(client, web_org):
    collective = _collective(web_org)
    o = web_org.org
    client.login(username="alice", password=PASSWORD)
    page = client.get(reverse("unit_collective", args=[o.alpha.pk])).content.decode()
    section = page[page.index(f'id="collective-{collective.pk}"') :]
    assert 'data-met="no"' in section
    assert "1 member to go" in section and "1 of 2 met" in section
    assert 'data-state="met"' in _chip(section, o.alice)
    bob = _chip(section, o.bob)
    assert 'data-state="short"' in bob
    assert "2 / 30" in bob and "short by 28" in bob and "per working day" in bob
    # Bob's own page is not Alice's to open; the manager is not a member of the count.
    assert reverse("person_detail", args=[o.bob.pk]) not in section
    assert f'data-person="{o.manager.pk}"' not in section
    # The team total sits beside it: the collective goal's own card (32 of 60).
    assert f'id="goal-{collective.pk}"' in section
    # Only a manager may excuse a member.
    assert "Excuse a member" not in page


def test_the_team_goal_beside_the_collective_is_shown_once_when_it_asks_the_same(client, web_org):
    """The team's own demos goal asks 60, like the collective: one team card, not two
    cards with the same numbers; asking 70, it is a second card."""
    collective = _collective(web_org)
    start, end = _period(web_org)
    team_goal = make_goal("demos_held", start, end, 60, unit=web_org.org.alpha, priority=1)
    client.login(username="mia", password=PASSWORD)
    url = reverse("unit_collective", args=[web_org.org.alpha.pk])

    def cards() -> list[int]:
        page = client.get(url).content.decode()
        section = page[page.index(f'id="collective-{collective.pk}"') :]
        section = section[: section.index("</section>")]
        return [pk for pk in (collective.pk, team_goal.pk) if f'id="goal-{pk}"' in section]

    assert cards() == [collective.pk]
    team_goal.target = 70
    team_goal.save()
    assert cards() == [collective.pk, team_goal.pk]


def test_the_manager_excuses_a_member_and_the_team_sees_why(client, web_org):
    collective = _collective(web_org)
    o = web_org.org
    client.login(username="mia", password=PASSWORD)
    url = reverse("unit_collective", args=[o.alpha.pk])
    assert "Excuse a member" in client.get(url).content.decode()
    response = client.post(
        url, {"goal": collective.pk, "person": o.bob.pk, "reason": "on parental leave"}
    )
    assert response.status_code == 302
    rule = CollectiveExclusion.objects.get(goal=collective)
    assert (rule.person, rule.created_by) == (o.bob, o.manager.user)

    client.login(username="alice", password=PASSWORD)
    page = client.get(url).content.decode()
    section = page[page.index(f'id="collective-{collective.pk}"') :]
    assert 'data-met="yes"' in section
    assert "Excused: on parental leave" in _chip(section, o.bob)


def test_a_refused_exclusion_says_why_and_changes_nothing(client, web_org):
    collective = _collective(web_org)
    o = web_org.org
    client.login(username="mia", password=PASSWORD)
    url = reverse("unit_collective", args=[o.alpha.pk])
    response = client.post(
        url, {"goal": collective.pk, "person": o.charlie.pk, "reason": "x"}, follow=True
    )
    assert "not a member" in response.content.decode()
    assert not CollectiveExclusion.objects.exists()


def test_a_member_without_a_goal_blocks_and_is_told(client, web_org):
    o = web_org.org
    client.login(username="charlie", password=PASSWORD)
    page = client.get(reverse("unit_collective", args=[o.beta.pk])).content.decode()
    chip = _chip(page, o.charlie)  # Beta's collective is on meetings booked: no goal of his
    assert 'data-state="no_goal"' in chip and "this blocks the collective" in chip


def test_the_leaderboard_shows_bars_badges_and_ties(client, web_org):
    competition = _competition(web_org)
    o = web_org.org
    client.login(username="alice", password=PASSWORD)
    url = reverse("unit_competition", args=[o.alpha.pk])
    page = client.get(url).content.decode()
    board = page[page.index(f'id="board-{competition.pk}"') :]
    # Fair by default: 30 of 30 is 100 %, 2 of 30 is 7 %.
    assert board.index(f'data-person="{o.alice.pk}" data-rank="1"') < board.index(
        f'data-person="{o.bob.pk}" data-rank="2"'
    )
    assert '<li class="me"' in board  # Alice sees herself
    assert "100 %" in board and 'style="width: 100.0%"' in board

    _more_demos(o.bob, 28, competition.period_start)  # Bob catches up: 30
    page = client.get(url, {"basis": "raw"}).content.decode()
    assert f'data-person="{o.alice.pk}" data-rank="=1"' in page
    assert f'data-person="{o.bob.pk}" data-rank="=1"' in page
    assert 'aria-current="true"' in page and "Raw totals" in page


def test_the_tenure_view_groups_reps_into_bands(client, web_org):
    _competition(web_org)
    o = web_org.org
    newbie = make_person("Nina New", hire=web_org.today - dt.timedelta(days=40))
    Role.objects.create(person=newbie, kind=Role.Kind.REP)
    Membership.objects.create(person=newbie, unit=o.alpha, valid_from=newbie.hire_date)
    client.login(username="mia", password=PASSWORD)
    page = client.get(
        reverse("unit_competition", args=[o.alpha.pk]), {"cohort": "tenure"}
    ).content.decode()
    assert '<h3 class="cohort">Under 6 months</h3>' in page
    band = page[page.index("Under 6 months") :]
    assert "Nina New" in band[: band.index("</ol>")]
    assert "no goal set" in band


def test_a_bad_period_is_refused(client, web_org):
    client.login(username="alice", password=PASSWORD)
    url = reverse("unit_collective", args=[web_org.org.alpha.pk])
    assert client.get(url, {"period": "last week"}).status_code == 400
    assert client.get(url, {"period": web_org.today.strftime("%Y-%m")}).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_both_pages_cost_the_same_queries_for_two_reps_or_twelve(client, web_org, quiet_database):
    _collective(web_org)
    _competition(web_org)
    o = web_org.org
    client.login(username="mia", password=PASSWORD)
    urls = [reverse(name, args=[o.alpha.pk]) for name in ("unit_collective", "unit_competition")]
    for url in urls:
        _queries(client, url)  # warm up: sessions, settings rows
    few = [_queries(client, url) for url in urls]
    start, end = _period(web_org)
    for i in range(10):
        rep = make_person(f"Extra{i} Rep")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=o.alpha, valid_from=dt.date(2025, 1, 1))
        make_goal("demos_held", start, end, 20, person=rep, priority=1)
        log_demos(rep, i, start, web_org.today)
    _queries(client, urls[0])  # after writes the org's settings are read again, once
    many = [_queries(client, url) for url in urls]
    assert many == few, f"{few} queries for 2 reps, {many} for 12"
    assert max(many) <= 30
