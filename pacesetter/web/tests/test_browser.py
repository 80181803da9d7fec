"""In a real browser (Playwright driving Debian's Chromium): log in and see the home page.

Screenshots go to test-artifacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from pacesetter.conftest import PASSWORD
from pacesetter.web.tests.conftest import make_goal

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous and safe.
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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def test_a_manager_logs_in_and_sees_role_and_team(page, live_server, small_org):
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("#id_username", "mia")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    # A manager without goals of their own starts on their team's page.
    page.wait_for_url(f"{live_server.url}/units/{small_org.alpha.pk}/")
    assert page.inner_text("h1").strip() == "Team Alpha"
    page.goto(live_server.url + "/?period=month")
    assert page.inner_text("#role").strip() == "manager"
    assert page.inner_text("#team").strip() == "Team Alpha"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-manager.png"), full_page=True)


def test_a_wrong_password_keeps_the_visitor_out(page, live_server, small_org):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "guess")
    page.click("#login-form button[type=submit]")
    assert "/login/" in page.url
    assert "didn't match" in page.inner_text(".error")


# --- the main journeys ---------------------------------------------------------------------


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    # A rep lands on My goals; a manager without goals of their own on the team page, an
    # admin on the org page (web/views/home.landing_url).
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/(units/\d+/)?(org/)?$"))


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_a_manager_finds_the_rep_behind_and_changes_a_target(page, live_server, web_org):
    from pacesetter.web.tests.test_team_page import bob_history

    bob_history(web_org.org.bob)  # the risk list judges Bob on his own history
    log_in(page, live_server, "mia")
    page.click('nav.mainnav >> text="Team"')
    first = page.locator("#attention ol.attention > li").first
    assert first.locator("a.rep").inner_text() == "Bob Brown"
    assert "at_risk" in first.get_attribute("class")
    shot(page, "team-manager.png")
    first.locator("a.rep").click()
    page.wait_for_selector("#burnup figure.burnup svg polyline.actual-line")
    shot(page, "rep-burnup-manager.png")
    page.click(f"#goals #goal-{web_org.bob_demos.pk} a.goal-title")
    page.fill("#id_target", "24")
    page.fill("#id_reason", "a slow start after training")
    page.click("#edit-target button[type=submit]")
    history = page.locator("#history li").first
    history.wait_for()
    assert "30" in history.locator(".old").inner_text()
    assert "24" in history.locator(".new").inner_text()
    assert "a slow start after training" in history.inner_text()
    shot(page, "goal-history-manager.png")


def test_a_rep_enters_the_weeks_numbers_without_a_reload(page, live_server, web_org):
    log_in(page, live_server, "alice")
    card = page.locator(f"#goal-{web_org.alice_entries.pk}")
    assert card.get_attribute("data-status") != "achieved"
    width_before = card.locator(".bar .fill").evaluate("e => e.style.width")
    page.evaluate("window.notReloaded = true")
    page.fill("#id_pd_events", "1")
    page.click(".week-form button[type=submit]")
    page.wait_for_selector(f"#goal-{web_org.alice_entries.pk}[data-status=achieved]")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
    width_after = card.locator(".bar .fill").evaluate("e => e.style.width")
    assert (float(width_before[:-1]), float(width_after[:-1])) == (0, 100)
    assert page.locator(".saved").is_visible()
    shot(page, "home-rep.png")


def test_a_save_that_meets_a_busy_database_is_sent_again(page, live_server, web_org):
    """The server answers the first save 503 with Retry-After (an import holds SQLite's
    lock; nothing was saved): the page says so, waits, sends the same form again, and the
    number is saved without the rep doing anything."""
    log_in(page, live_server, "alice")
    refused: list[str] = []

    def busy_once(route):
        if not refused:
            refused.append(route.request.post_data or "")
            route.fulfill(status=503, headers={"Retry-After": "2"}, body="busy")
        else:
            route.continue_()

    page.route("**/week/", busy_once)
    page.fill("#id_pd_events", "1")
    page.click(".week-form button[type=submit]")
    note = page.locator(".week-form .busy-note")
    note.wait_for()
    assert "sending again in 2 seconds" in note.inner_text()
    page.wait_for_selector(f"#goal-{web_org.alice_entries.pk}[data-status=achieved]")
    assert len(refused) == 1 and "pd_events" in refused[0]
    assert page.locator(".saved").is_visible()
    assert page.locator(".busy-note").count() == 0


@pytest.mark.time_machine(dt.datetime(2026, 12, 6, 15, 0, tzinfo=dt.UTC))  # Sunday 6 December
def test_a_week_across_two_months_is_entered_and_scored_per_month(page, live_server, web_org):
    """Week 49 runs from Monday 30 November: the rep enters November's day and December's
    days apart, the December goal moves, and both months' scorecards hold the week."""
    december = make_goal(
        "pd_events", dt.date(2026, 12, 1), dt.date(2027, 1, 1), 1, person=web_org.org.alice
    )
    log_in(page, live_server, "alice")
    assert "runs into December" in page.locator(".week-form .hint").inner_text()
    page.fill("#id_pd_events\\@2026-11-30", "0")
    page.fill("#id_pd_events\\@2026-12-01", "1")
    page.click(".week-form button[type=submit]")
    page.wait_for_selector(f"#goal-{december.pk}[data-status=achieved]")
    saved = page.locator(".week-form .saved").inner_text()
    assert "Professional-development events (2026-12)" in saved
    shot(page, "home-rep-week-across-months.png")
    for month, days in (("2026-11", "November 30 (20 %"), ("2026-12", "December 1 – December 6")):
        page.goto(f"{live_server.url}/people/{web_org.org.alice.pk}/scorecard/?period={month}")
        week = page.locator("#weeks article.week", has_text="2026-W49")
        assert days in week.locator(".part").inner_text()
    shot(page, "scorecard-week-across-months.png")


def test_a_rep_opening_another_reps_page_is_refused(page, live_server, web_org):
    log_in(page, live_server, "alice")
    response = page.goto(f"{live_server.url}/people/{web_org.org.charlie.pk}/")
    assert response.status == 404
    assert "Charlie" not in page.content()


def test_the_dashboard_speaks_simplified_chinese(page, live_server, web_org):
    log_in(page, live_server, "alice")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.locator("#my-goals h2").inner_text() == "我的目标"
    assert "每个工作日" in page.locator("#my-goals").inner_text()
    shot(page, "home-rep-zh.png")


def test_an_admin_builds_a_plan_previews_it_and_activates_it(page, live_server, web_org):
    log_in(page, live_server, "olga")
    page.click("nav.mainnav >> text=Plans")
    page.click("text=New scenario")
    page.fill("#id_name", "FY-browser")
    page.fill("#id_annual_target", "2400000")
    page.select_option("#id_seasonality", "flat")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#lines tbody tr td.explain")
    page.click("nav.tabs >> text=Person")
    assert "Alice Adams" in page.locator("#lines").inner_text()
    shot(page, "plan-preview-admin.png")
    page.click("#activate a")  # first the preview: what changes, month by month
    page.wait_for_selector("#activation-preview tbody tr")
    assert "Nothing has changed yet" in page.locator("main").inner_text()
    page.click("#confirm-activation button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "goals created" in page.locator(".messages").inner_text()
    # Plan vs actual: the year's column and the current month are in view, on a desktop and
    # on a phone (the box opens scrolled to the month), whatever the month.
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(live_server.url + "/org/")
        box = page.locator("#org-tree .scroll").bounding_box()
        for header in ("th.year", "th.now"):
            cell = page.locator(f"#org-tree thead {header}").bounding_box()
            inside = (
                box["x"] - 1 <= cell["x"]
                and cell["x"] + cell["width"] <= box["x"] + box["width"] + 1
            )
            assert inside, (width, header, cell, box)
    shot(page, "org-admin.png")


def test_the_rep_page_fits_a_phone(browser, live_server, web_org):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server, "alice")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 390
        shot(page, "home-rep-phone.png")
    finally:
        context.close()


def test_ending_a_mentorship_asks_first(page, live_server, small_org):
    """The manager's "End" asks before it ends anything: cancel keeps the mentoring."""
    import datetime as dt

    from pacesetter.coaching.services import mentor_assign
    from pacesetter.org.models import Role

    o = small_org
    mentor_assign(mentor=o.charlie, mentee=o.alice, on=dt.date(2026, 1, 5), focus="demos")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "mia")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    # A rep lands on My goals; a manager without goals of their own on the team page, an
    # admin on the org page (web/views/home.landing_url).
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/(units/\d+/)?(org/)?$"))
    page.goto(live_server.url + "/mentoring/")
    asked: list[str] = []

    def cancel(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.click(f"tr[data-mentee='{o.alice.pk}'] button[type=submit]")
    assert asked == [
        "End Charlie Chen's mentoring of Alice Adams? The mentor no longer sees the mentee's "
        "development goals; the history is kept."
    ]
    mentoring = Role.objects.filter(kind=Role.Kind.MENTOR, person=o.charlie, mentee=o.alice)
    assert mentoring.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(f"tr[data-mentee='{o.alice.pk}'] button[type=submit]")
    assert not mentoring.exists()
    assert "no longer mentors" in page.inner_text("body")


def test_an_admin_checks_a_deals_file_then_imports_it(
    page, live_server, small_org, settings, tmp_path
):
    """The preview says what the file holds; "Import now" imports it without choosing it
    again."""
    from pacesetter.ledger.models import Deal

    settings.VAR_DIR = tmp_path / "var"  # the staging folder of uploads
    upload = tmp_path / "deals.csv"
    upload.write_text(
        "external_id,owner,stage,created,closed,amount\n"
        "d-1,alice@example.com,Closed Won,2026-10-01,2026-10-20,1200.50\n"
        "d-2,Bob Brown,Negotiation,2026-10-03,,500\n"
    )
    log_in(page, live_server, "olga")
    page.goto(live_server.url + "/imports/")
    page.select_option("#id_kind", "deals")
    page.set_input_files("#id_file", str(upload))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#understood")
    assert "1,200.50" in page.inner_text("#won-value")
    assert "Alice Adams" in page.inner_text("#per-person")
    assert not Deal.objects.exists()  # only checked so far
    shot(page, "import-preview-admin.png")
    page.click("#import-now button[type=submit]")
    page.wait_for_selector("#report h2:has-text('Imported')")
    assert "2 new" in page.inner_text("#counts")
    assert sorted(Deal.objects.values_list("external_id", flat=True)) == ["d-1", "d-2"]
    assert list((tmp_path / "var" / "uploads").iterdir()) == []  # the staged copy is gone
    shot(page, "import-done-admin.png")
