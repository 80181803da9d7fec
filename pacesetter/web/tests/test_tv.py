"""TV mode: a manager makes a signed link to one board; the screen opens it without logging
in and sees that board only, refreshing itself; a revoked, expired or tampered link shows
nothing; the screen's address is throttled.

``web_org`` (Wednesday 18 November 2026): Alice has done her 30 demos of 30, Bob 2 of 30,
both in Team Alpha (Mia); Charlie in Team Beta; Team Alpha and Beta each have a collective
meetings goal.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.tracking.models import TvLink
from pacesetter.tracking.tv import tv_link_create, tv_link_revoke
from pacesetter.web.tests.conftest import make_goal
from pacesetter.web.views import tv
from pacesetter.web.views.tv import THROTTLE_PER_LINK


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts per address and minute, and the suite's clock is pinned: each
    test starts with no request counted (and leaves none for the next module)."""
    cache.clear()
    yield
    cache.clear()


def _race(web_org, unit=None, metric="demos_held"):
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    return make_goal(metric, start, end, 60, unit=unit or web_org.org.alpha, kind="competition")


def _login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def _new_link(client, unit, goal) -> str:
    """Make a link as the logged-in manager; the page shows it once: its URL."""
    url = reverse("unit_tv", args=[unit.pk])
    response = client.post(url, {"action": "create", "goal": goal.pk})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    [link] = re.findall(r'value="(http://testserver/tv/[^"]+/)"', page)
    assert 'id="new-link"' not in client.get(url).content.decode()  # shown once
    return link.replace("http://testserver", "")


# --- making links ---------------------------------------------------------------------------------


def test_a_manager_makes_a_link_that_a_screen_opens_without_logging_in(client, web_org):
    race = _race(web_org)
    _login(client, "mia")
    url = _new_link(client, web_org.org.alpha, race)
    link = TvLink.objects.get()
    assert (link.goal, link.created_by) == (race, web_org.org.manager.user)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Demos held" in html and "Team Alpha" in html
    assert html.index("Alice Adams") < html.index("Bob Brown")  # ranked as the page ranks
    assert "100 %" in html
    # Refreshes itself: htmx polls the same URL every minute (no inline script).
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 60s"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_the_screen_shows_that_board_only(client, web_org):
    race = _race(web_org)
    _race(web_org, metric="calls_made")  # another board of the same team
    _race(web_org, unit=web_org.org.beta, metric="meetings_booked")
    _link, token = tv_link_create(goal=race, by=None)
    html = client.get(reverse("tv_board", args=[token])).content.decode()
    assert "Calls made" not in html and "Meetings booked" not in html
    assert "Charlie Chen" not in html and "Team Beta" not in html
    assert "mainnav" not in html and "<a " not in html  # no navigation, no link anywhere
    assert "Log out" not in html


def test_the_fragment_is_the_board_alone_for_htmx(client, web_org):
    _link, token = tv_link_create(goal=_race(web_org), by=None)
    response = client.get(reverse("tv_board", args=[token]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert 'id="tv-board"' in html and "Alice Adams" in html


def test_a_collective_goal_on_the_screen(client, web_org):
    _link, token = tv_link_create(goal=web_org.alpha_meetings, by=None)
    html = client.get(reverse("tv_board", args=[token])).content.decode()
    assert "Meetings booked" in html and "Alice Adams" in html and "Bob Brown" in html
    assert "0 of 2 met" in html
    assert "Charlie Chen" not in html


def test_the_screen_costs_a_handful_of_queries(
    client, web_org, django_assert_max_num_queries, quiet_database
):
    _link, token = tv_link_create(goal=_race(web_org), by=None)
    url = reverse("tv_board", args=[token])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    _link, token = tv_link_create(goal=web_org.alpha_meetings, by=None)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("tv_board", args=[token])).status_code == 200


# --- links that stopped working -------------------------------------------------------------------


def _gone(response) -> str:
    assert response.status_code == 404
    assert response["HX-Refresh"] == "true"  # a polling screen reloads to this page
    html = response.content.decode()
    assert "Alice Adams" not in html and "Demos held" not in html
    return html


def test_a_revoked_link_shows_nothing(client, web_org):
    race = _race(web_org)
    _login(client, "mia")
    url = _new_link(client, web_org.org.alpha, race)
    assert client.get(url).status_code == 200
    link = TvLink.objects.get()
    response = client.post(
        reverse("unit_tv", args=[web_org.org.alpha.pk]), {"action": "revoke", "link": link.pk}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == web_org.org.manager.user
    client.logout()
    assert "does not work" in _gone(client.get(url))
    assert "does not work" in _gone(client.get(url, headers={"HX-Request": "true"}))


def test_an_expired_link_shows_nothing(client, web_org, time_machine):
    _link, token = tv_link_create(goal=_race(web_org), by=None, days=1)
    url = reverse("tv_board", args=[token])
    assert client.get(url).status_code == 200
    time_machine.shift(dt.timedelta(days=1, minutes=1))
    _gone(client.get(url))


def test_a_tampered_link_shows_nothing(client, web_org):
    _link, token = tv_link_create(goal=_race(web_org), by=None)
    payload, stamp, signature = token.split(":")
    forged = f"{payload}:{stamp}:{signature[::-1]}"
    _gone(client.get(reverse("tv_board", args=[forged])))
    _gone(client.get(reverse("tv_board", args=["x"])))


def test_a_screen_asking_too_often_is_throttled(client, web_org):
    _link, token = tv_link_create(goal=_race(web_org), by=None)
    url = reverse("tv_board", args=[token])
    for _ in range(THROTTLE_PER_LINK):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Alice Adams" not in response.content.decode()
    # Another screen (address) is not held back by this one.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_guessing_links_is_throttled(client, web_org, monkeypatch):
    monkeypatch.setattr(tv, "THROTTLE_PER_ADDRESS", 5)
    _link, token = tv_link_create(goal=_race(web_org), by=None)
    for guess in range(5):
        assert client.get(reverse("tv_board", args=[f"guess{guess}"])).status_code == 404
    # Every ask counts, a good link's too: the address is held back for the minute.
    assert client.get(reverse("tv_board", args=[token])).status_code == 429


# --- who may make and revoke links ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "unit", "status"),
    [
        ("alice", "alpha", 403),  # a rep
        ("charlie", "beta", 403),
        ("mia", "beta", 404),  # another subtree
        ("mia", "alpha", 200),
        ("rhea", "beta", 200),
        ("olga", "alpha", 200),
    ],
)
def test_the_links_page_is_for_managers_of_the_unit(client, web_org, username, unit, status):
    _login(client, username)
    assert (
        client.get(reverse("unit_tv", args=[getattr(web_org.org, unit).pk])).status_code == status
    )


def test_a_rep_may_not_make_a_link(client, web_org):
    race = _race(web_org)
    _login(client, "alice")
    response = client.post(
        reverse("unit_tv", args=[web_org.org.alpha.pk]), {"action": "create", "goal": race.pk}
    )
    assert response.status_code == 403
    assert not TvLink.objects.exists()


def test_a_manager_may_not_link_or_revoke_another_subtrees_board(client, web_org):
    beta_race = _race(web_org, unit=web_org.org.beta)
    beta_link, _token = tv_link_create(goal=beta_race, by=None)
    _login(client, "mia")
    alpha_tv = reverse("unit_tv", args=[web_org.org.alpha.pk])
    # Through her own unit's page, a goal or a link of Team Beta is not found.
    assert client.post(alpha_tv, {"action": "create", "goal": beta_race.pk}).status_code == 404
    assert client.post(alpha_tv, {"action": "revoke", "link": beta_link.pk}).status_code == 404
    # A standard goal of her own team has no board to show.
    own = web_org.alice_demos
    assert client.post(alpha_tv, {"action": "create", "goal": own.pk}).status_code == 404
    beta_tv = reverse("unit_tv", args=[web_org.org.beta.pk])
    assert client.post(beta_tv, {"action": "create", "goal": beta_race.pk}).status_code == 404
    assert TvLink.objects.count() == 1
    beta_link.refresh_from_db()
    assert beta_link.revoked_at is None


def test_the_links_page_lists_live_links_and_not_revoked_ones(client, web_org):
    race = _race(web_org)
    live, _ = tv_link_create(goal=race, by=web_org.org.manager.user)
    nobodys, _ = tv_link_create(goal=web_org.alpha_meetings, by=None)  # made by a command
    dead, _ = tv_link_create(goal=race, by=None)
    tv_link_revoke(link=dead, by=None)
    _login(client, "mia")
    html = client.get(reverse("unit_tv", args=[web_org.org.alpha.pk])).content.decode()
    assert f'id="tv-link-{live.pk}"' in html and f'id="tv-link-{dead.pk}"' not in html
    assert f'id="tv-link-{nobodys.pk}"' in html and "mia" in html
    assert f'id="tv-goal-{web_org.alpha_meetings.pk}"' in html  # the collective goal too
    assert f'id="tv-goal-{web_org.beta_meetings.pk}"' not in html


def test_the_boards_pages_lead_managers_to_their_tv_links(client, web_org):
    _race(web_org)
    tv = reverse("unit_tv", args=[web_org.org.alpha.pk])
    _login(client, "mia")
    for name in ("unit_competition", "unit_collective"):
        assert tv in client.get(reverse(name, args=[web_org.org.alpha.pk])).content.decode()
    _login(client, "alice")
    for name in ("unit_competition", "unit_collective"):
        assert tv not in client.get(reverse(name, args=[web_org.org.alpha.pk])).content.decode()
