"""Issue 15: one leaderboard rule everywhere. The meetings-booked board on My goals (and on
the team page) ranks as the team's competition board does: by percent of each rep's own
goal, ties shown "=2" on both, and the basis named in a caption."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import PASSWORD, make_person
from pacesetter.goals.models import Goal
from pacesetter.ledger import rollups
from pacesetter.ledger.models import Activity
from pacesetter.org.models import Membership, OrgSettings, Person, Role
from pacesetter.org.selectors import today_in_org
from pacesetter.web.tests.conftest import ensure_metric_catalog, make_goal


def book(person: Person, count: int, day: dt.date) -> None:
    zone = OrgSettings.load().zone
    Activity.objects.bulk_create(
        Activity(source="test", external_id=f"mb-{person.pk}-{i}", kind="meeting_booked",
                 person=person, occurred_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone))
        for i in range(count)
    )  # fmt: skip


@pytest.fixture
def race(small_org):
    """This month in Team Alpha: Alice booked 8 of her 10 (80 %), Bob 20 of his 40 (50 %)
    and Dora, a new rep, 10 of her 20 (50 %): raw totals would put Bob first."""
    ensure_metric_catalog()
    o = small_org
    today = today_in_org()
    month = planning.month_of(today)
    dora = make_person("Dora Diaz")
    Membership.objects.create(person=dora, unit=o.alpha, valid_from=month.start)
    Role.objects.create(person=dora, kind=Role.Kind.REP)
    for person, target, booked in ((o.alice, 10, 8), (o.bob, 40, 20), (dora, 20, 10)):
        make_goal("meetings_booked", month.start, month.end, target, person=person)
        book(person, booked, month.start)
    make_goal("meetings_booked", month.start, month.end, 60, unit=o.alpha, kind="competition")
    rollups.rebuild()  # whole months are read from the monthly rollups
    return o, dora


def ranks(page: str, section_id: str) -> list[tuple[str, str]]:
    start = page.index(f'id="{section_id}"')
    part = page[start : page.index("</section>", start)]
    return re.findall(r'data-person="(\d+)" data-rank="([^"]+)"', part)


def test_my_goals_and_the_team_board_rank_the_same_reps_the_same_way(client, race):
    o, dora = race
    assert client.login(username="alice", password=PASSWORD)

    home = client.get(reverse("home")).content.decode()
    board = client.get(reverse("unit_competition", args=[o.alpha.pk])).content.decode()

    expected = [(str(o.alice.pk), "1"), (str(o.bob.pk), "=2"), (str(dora.pk), "=2")]
    assert ranks(home, "leaderboard") == expected
    assert ranks(board, "boards") == expected
    assert "Ranked by % of each rep's own goal" in home
    assert "<b>80 %</b> <small>8 / 10</small>" in home


def test_the_team_page_board_ranks_by_the_same_rule(client, race):
    o, dora = race
    assert client.login(username="mia", password=PASSWORD)

    page = client.get(reverse("unit_team", args=[o.alpha.pk])).content.decode()

    assert ranks(page, "leaderboard") == [
        (str(o.alice.pk), "1"),
        (str(o.bob.pk), "=2"),
        (str(dora.pk), "=2"),
    ]


def test_a_rep_without_a_goal_comes_last_and_says_why(client, race):
    o, dora = race
    Goal.objects.filter(person=o.alice).delete()
    assert client.login(username="bob", password=PASSWORD)

    home = client.get(reverse("home")).content.decode()

    assert ranks(home, "leaderboard") == [
        (str(o.bob.pk), "=1"),
        (str(dora.pk), "=1"),
        (str(o.alice.pk), "3"),
    ]
    assert "no goal set" in home


def test_the_managers_digest_ranks_by_the_same_rule(race):
    """The weekly e-mail's top three agree with the boards, ties written "=2" alike."""
    from pacesetter.tracking.digest import build_digests, render_digest

    o, _dora = race
    (digest,) = build_digests(today_in_org(), [o.manager])
    text, html = render_digest(digest)

    line = "Meetings booked, Team Alpha: 1. Alice Adams (8, 80 %), =2. Bob Brown (20, 50 %), "
    assert line + "=2. Dora Diaz (10, 50 %)" in text
    assert "=2. Bob Brown (20, 50 %)" in html
