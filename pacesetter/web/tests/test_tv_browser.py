"""TV mode in a real browser (Playwright driving Debian's Chromium) at 1920×1080: large type
on a dark screen, a dozen reps on one screen without scrolling, no script refused by the
Content-Security-Policy, and the board refreshing itself every minute — new numbers
appear, and a revoked link blanks the screen.

A screenshot goes to test-artifacts/tv-leaderboard.png for a person to look at.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from pacesetter.conftest import make_person
from pacesetter.ledger.models import Activity
from pacesetter.org.models import Membership, OrgSettings, Role
from pacesetter.tracking.tv import tv_link_create, tv_link_revoke
from pacesetter.web.tests.conftest import log_demos, make_goal
from pacesetter.web.tests.test_browser import ARTIFACTS, browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

NAMES = ["Dana Diaz", "Eli Evans", "Fay Fox", "Gus Gray", "Hana Hill", "Ivo Ingram",
         "Jon Jones", "Kim Kwan", "Lea Lund", "Max Moss"]  # fmt: skip


def _next_minute_until(page, selector: str) -> None:
    """Let a minute pass on the page's clock until ``selector`` shows (htmx schedules the
    next poll once the last swap has settled, a moment after it)."""
    for _ in range(5):
        page.clock.fast_forward("01:01")
        try:
            page.wait_for_selector(selector, timeout=2_000)
        except PlaywrightTimeout:
            continue
        return
    raise AssertionError(f"{selector} never showed")


@pytest.fixture
def screen(browser):  # noqa: F811
    cache.clear()  # the throttle's counts (the clock is pinned)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page, problems
    context.close()
    cache.clear()


@pytest.fixture
def race(web_org):
    """Team Alpha's demos competition, with ten more reps: twelve on the board."""
    o = web_org.org
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    for i, name in enumerate(NAMES):
        rep = make_person(name)
        Membership.objects.create(person=rep, unit=o.alpha, valid_from=dt.date(2025, 1, 1))
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        make_goal("demos_held", start, end, 30, person=rep)
        log_demos(rep, 3 + 2 * i, start, web_org.today)
    return make_goal("demos_held", start, end, 300, unit=o.alpha, kind="competition")


def test_the_leaderboard_is_large_dark_and_refreshes_itself(screen, live_server, web_org, race):
    page, problems = screen
    link, token = tv_link_create(goal=race, by=None)
    page.clock.install()
    assert page.goto(f"{live_server.url}/tv/{token}/").status == 200
    names = page.locator(".tv-ranks .name")
    assert names.count() == 12
    assert names.first.inner_text() == "Alice Adams"
    style = page.evaluate(
        """() => ({
            background: getComputedStyle(document.body).backgroundColor,
            name: parseFloat(getComputedStyle(document.querySelector('.tv-ranks .name')).fontSize),
            title: parseFloat(getComputedStyle(document.querySelector('.tv-head h1')).fontSize),
            height: document.documentElement.scrollHeight,
        })"""
    )
    assert style["background"] == "rgb(13, 17, 23)"
    assert style["name"] >= 40 and style["title"] >= 70  # px, from across a room
    assert style["height"] <= 1080  # all twelve on one screen, no scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tv-leaderboard.png"))

    # A minute later the board shows the new numbers: Bob's 40 more demos put him first.
    yesterday = dt.datetime.combine(
        web_org.today - dt.timedelta(days=1), dt.time(11), tzinfo=OrgSettings.load().zone
    )
    Activity.objects.bulk_create(
        Activity(source="test", external_id=f"tv-{i}", kind="demo", person=web_org.org.bob,
                 occurred_at=yesterday)
        for i in range(40)
    )  # fmt: skip
    _next_minute_until(page, f".tv-ranks li:first-child[data-person='{web_org.org.bob.pk}']")
    expect(page.locator(".tv-ranks .name").first).to_have_text("Bob Brown")
    # Revoked: at the next refresh the screen shows that the link no longer works.
    tv_link_revoke(link=link, by=None)
    _next_minute_until(page, ".tv-gone")
    assert page.locator(".tv-ranks").count() == 0
    assert problems == [] or all("404" in p for p in problems), problems


def test_a_collective_goal_fills_the_screen(screen, live_server, web_org):
    page, problems = screen
    _link, token = tv_link_create(goal=web_org.alpha_meetings, by=None)
    assert page.goto(f"{live_server.url}/tv/{token}/").status == 200
    assert page.locator(".tv-members li").count() == 2
    assert "0 of 2 met" in page.inner_text(".tv-meter")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tv-collective.png"))
    assert problems == []
