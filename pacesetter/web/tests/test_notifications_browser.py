"""In a real browser: a rep sees the unread count in the navigation, reads the list, marks
a notice read (a real POST with the page's CSRF token) and chooses what they get."""

from __future__ import annotations

import pytest

from pacesetter.notifications.models import Kind, Notification
from pacesetter.notifications.selectors import choices_of
from pacesetter.notifications.services import Event, notify
from pacesetter.web.tests.test_browser import browser, log_in, page, shot  # noqa: F401

pytestmark = pytest.mark.browser
PARAMS = {"metric": "demos_held", "period": "2026-11", "old": "20.00", "new": "30.00"}


def test_a_rep_reads_and_marks_notices_and_chooses_what_to_get(page, live_server, small_org):  # noqa: F811
    alice = small_org.alice
    notify([Event(alice.pk, Kind.GOAL_CHANGED, f"goal:1:{n}", PARAMS, "/") for n in (2, 3)])
    log_in(page, live_server, "alice")
    assert page.inner_text("#unread-notifications").strip() == "2"

    page.click("nav.mainnav a[href='/notifications/']")
    page.wait_for_url(live_server.url + "/notifications/")
    items = page.locator("#notifications li")
    assert items.count() == 2
    assert "changed from 20 to 30" in items.first.inner_text()
    shot(page, "notifications.png")

    items.first.locator("button", has_text="Mark read").click()
    page.wait_for_url(live_server.url + "/notifications/?page=1")
    assert page.inner_text("#unread-notifications").strip() == "1"
    assert Notification.objects.filter(recipient=alice, read_at__isnull=False).count() == 1

    page.click("button:has-text('Mark all read')")
    page.wait_for_load_state()
    assert page.locator("#unread-notifications").count() == 0

    page.click("a:has-text('Choose what you get')")
    page.wait_for_url(live_server.url + "/notifications/settings/")
    page.check("input[name='goal_changed__email']")
    page.uncheck("input[name='at_risk__email']")
    shot(page, "notification-settings.png")
    page.click("#notification-settings button[type=submit]")
    page.wait_for_url(live_server.url + "/notifications/settings/")
    chosen = choices_of([alice.pk])
    assert chosen[(alice.pk, Kind.GOAL_CHANGED)].email
    assert not chosen[(alice.pk, Kind.AT_RISK)].email
