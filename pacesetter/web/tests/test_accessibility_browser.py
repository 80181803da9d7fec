"""Everyone can use it: axe-core (from the ``axe-playwright-python`` package) checks every main
page as every role, in English and in Simplified Chinese, on a desktop (1280 px) and on a
phone (390 px); no serious or critical violation may remain. On the phone no page may
scroll sideways either.

One live server and one browser serve the whole module; each role gets one browser context
per language (its session made on the server, axe-core injected into every page), loads
each of its pages once and has it checked at both widths. A failure lists every violation
found (page, role, language, width, rule, target, help), not only the first.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from pacesetter.goals.models import Plan
from pacesetter.web.tests.conftest import WebOrg
from pacesetter.web.tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
LANGUAGES = ("en", "zh-hans")
SERIOUS = {"serious", "critical"}
# The outermost elements that reach past the right edge of the screen, named for the report.
WIDEST = """
[...document.querySelectorAll("main *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
               && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
            + (typeof e.className === "string" && e.className ? "." + e.className : ""))
  .join(", ")
"""
NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# What axe checks: WCAG 2.0/2.1 A and AA, and its best practices (skip link, landmarks…).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@dataclass(frozen=True)
class Visit:
    role: str  # who looks: a username of the small org
    path: str


def main_pages(web_org: WebOrg) -> list[Visit]:
    """The main pages, each as the role that uses it; a page two roles share is seen by the
    one who sees more on it."""
    o = web_org.org
    alice, bob = o.alice.pk, o.bob.pk
    alpha, region = o.alpha.pk, o.region.pk
    goal, bobs_goal = web_org.alice_demos.pk, web_org.bob_demos.pk
    plan = web_org.plan.pk
    rep = [
        "/",
        f"/people/{alice}/scorecard/",
        f"/units/{alpha}/competition/",
        f"/units/{alpha}/collective/",
        "/rewards/",
        "/mentoring/",
        f"/goals/{goal}/",
        f"/goals/{goal}/check-in/",
    ]
    manager = [
        "/team/",
        f"/units/{alpha}/check-ins/",
        f"/people/{bob}/",
        f"/goals/{bobs_goal}/",
        "/org/",
        "/goals/new/",
        "/mentoring/",
    ]
    regional = ["/team/", f"/units/{region}/", f"/org/{region}/"]
    admin = [  # the pages only admins see, and the whole org
        "/org/",
        "/plans/",
        "/plans/new/",
        f"/plans/{plan}/",
        f"/plans/{plan}/activate/",
        "/imports/",
        "/jobs/",
        "/periods/",
    ]
    return (
        [Visit("alice", path) for path in rep]
        + [Visit("mia", path) for path in manager]
        + [Visit("rhea", path) for path in regional]
        + [Visit("olga", path) for path in admin]
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def logged_in(browser: Browser, url: str, username: str | None, language: str) -> BrowserContext:
    """A fresh context in ``language`` (the switcher's cookie), logged in as ``username``
    (a session made on the server side: the login form has its own test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}]
    if username is not None:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url})
    context.add_cookies(cookies)
    context.add_init_script(AXE_SCRIPT)  # axe-core, from the axe-playwright-python package
    return context


def serious_violations(page: Page, where: str) -> list[str]:
    """axe's serious and critical findings on the page, one line per element."""
    results = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    return [
        f"{where}: {violation['id']} ({violation['impact']}) at "
        f"{', '.join(map(str, node['target']))} — {violation['help']}"
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]


def too_wide(page: Page, where: str) -> list[str]:
    """On a phone, whether the page scrolls sideways; a screenshot is kept for a person to
    look at (test-artifacts/phone-*.png)."""
    if page.viewport_size is None or page.viewport_size["width"] != WIDTHS["phone"][0]:
        return []
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^a-z0-9-]+", "-", where.lower()).strip("-")
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    extra = page.evaluate("Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)")
    if not extra:
        return []
    return [f"{where}: the page scrolls sideways by {extra} px ({page.evaluate(WIDEST)})"]


def everything(page: Page, where: str) -> list[str]:
    return serious_violations(page, where) + too_wide(page, where)


def walk(browser: Browser, url: str, visits: list[Visit], check) -> list[str]:
    """Visit each page as its role in both languages, then check it at both widths (the
    same page laid out again); ``check(page, where)`` returns what is wrong there."""
    found: list[str] = []
    roles = list(dict.fromkeys(visit.role for visit in visits))
    for language in LANGUAGES:
        for role in roles:
            context = logged_in(browser, url, None if role == "-" else role, language)
            page = context.new_page()
            for visit in (v for v in visits if v.role == role):
                page.set_viewport_size({"width": 1280, "height": 800})
                response = page.goto(url + visit.path)
                assert response is not None and response.status == 200, visit
                for width, (x, y) in WIDTHS.items():
                    page.set_viewport_size({"width": x, "height": y})
                    page.evaluate(NEXT_FRAME)  # the page has handled the resize
                    found += check(page, f"{visit.path} as {role}, {language}, {width}")
            context.close()
    return found


def test_every_main_page_is_accessible_and_fits_a_phone(browser, live_server, web_org):
    """No serious or critical axe violation on any main page, for any role, in either
    language, at 1280 or 390 px; at 390 px no page scrolls sideways (wide tables scroll in
    their own box)."""
    visits = [Visit("-", "/login/"), *main_pages(web_org)]
    found = walk(browser, live_server.url, visits, everything)
    assert not found, "\n".join(found)


def test_the_first_run_page_is_accessible(browser, live_server, db):
    """Before the company exists, the first-run form is the only page."""
    found = walk(browser, live_server.url, [Visit("-", "/setup/")], everything)
    assert not found, "\n".join(found)


def test_the_phone_menu_opens_and_reaches_every_page(browser, live_server, web_org):
    """On a phone the admin's nav collapses into a menu; opened, every link is on screen."""
    context = logged_in(browser, live_server.url, "olga", "en")
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/plans/")
    menu = page.locator("details.navmenu")
    assert not page.locator("nav.mainnav a", has_text="Plans").is_visible()
    menu.locator("summary").click()
    links = page.locator("nav.mainnav a")
    assert links.count() >= 9
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / "phone-menu-open-admin.png"))
    context.close()
    # On a desktop the same nav is open and the menu button hidden.
    context = logged_in(browser, live_server.url, "olga", "en")
    page = context.new_page()
    page.goto(live_server.url + "/plans/")
    assert page.locator("nav.mainnav a", has_text="Plans").is_visible()
    assert not page.locator("details.navmenu > summary").is_visible()
    page.screenshot(path=str(ARTIFACTS / "desktop-plans-admin.png"))
    context.close()


def test_the_skip_link_is_the_first_stop_of_the_keyboard(browser, live_server, web_org):
    context = logged_in(browser, live_server.url, "alice", "en")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.hash]")
    assert focused == ["skip", "#main"]
    assert page.locator("a.skip").is_visible()  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()


def test_wrong_users_still_get_no_page(browser, live_server, web_org):
    """The walk above serves each role its pages; the same pages refuse the wrong role."""
    context = logged_in(browser, live_server.url, "alice", "en")
    page = context.new_page()
    plan = Plan.objects.get().pk
    for path, status in (("/plans/", 403), (f"/plans/{plan}/activate/", 403), ("/org/", 403)):
        assert page.goto(live_server.url + path).status == status, path
    context.close()
