"""In a real browser: a person clicks "Sign in with …", goes to the (local) identity
provider, comes back logged in and sees their own page."""

from __future__ import annotations

import pytest

from pacesetter.web.tests.test_browser import ARTIFACTS, browser, page  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_rep_signs_in_with_the_company_account(page, live_server, idp, settings):  # noqa: F811
    settings.PASSWORD_LOGIN = False
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    assert page.locator("#login-form").count() == 0  # passwords are off
    page.click("#sso-button")
    page.wait_for_url(live_server.url + "/")
    assert "Alice Adams" in page.inner_text("body")
    assert any(r.startswith("GET /authorize") for r in idp.requests)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sso-signed-in.png"), full_page=True)


def test_an_unknown_person_is_sent_back_with_the_reason(page, live_server, idp):  # noqa: F811
    idp.person = {"sub": "00u-zed", "email": "zed@example.com", "name": "Zed"}
    page.goto(live_server.url + "/login/")
    page.click("text=Sign in with Northwind ID")
    page.wait_for_url(live_server.url + "/login/")
    assert "No one in Pacesetter has the e-mail address zed@example.com" in page.inner_text(
        ".messages"
    )
