"""The team grid in a real browser at 1280 px: it scrolls inside its own box, the rep column
stays in view, nothing is clipped; the filters work without JavaScript's help."""

from __future__ import annotations

import pytest

from pacesetter.conftest import PASSWORD
from pacesetter.metrics.catalog import CATALOG
from pacesetter.web.tests.conftest import make_goal
from pacesetter.web.tests.test_browser import ARTIFACTS, browser, page  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_wide_grid_scrolls_in_its_box_with_the_rep_column_sticky(page, live_server, web_org):  # noqa: F811
    o = web_org.org
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    for i, entry in enumerate(CATALOG):
        if entry["name"] not in ("demos_held", "meetings_booked"):
            make_goal(entry["name"], start, end, 5, person=o.alice, priority=2 + i)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "rhea")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/units/{o.region.pk}/")
    box = page.locator("#grid .grid-scroll")
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1], "the grid is wide enough to scroll"
    assert sizes[2] <= 1280, "the box ends inside the window"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "no page-wide overflow"
    rep = page.locator("#grid tbody th.col-rep").first
    before = rep.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert rep.bounding_box()["x"] == pytest.approx(before, abs=1), "the rep column stays"
    last = page.locator("#grid thead th").last
    right = last.bounding_box()
    assert right["x"] + right["width"] <= sizes[2] + 1, "the last column can be reached"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "team-grid-region.png"), full_page=True)
    # The filters are a plain form: choose a team, apply, the page comes back filtered.
    page.select_option("#grid select[name=team]", str(o.beta.pk))
    page.click("#grid .grid-filters button[type=submit]")
    page.wait_for_url(f"**/units/{o.region.pk}/?team={o.beta.pk}*")
    assert page.locator("#grid tbody th.col-rep").all_inner_texts() == ["Charlie Chen"]
