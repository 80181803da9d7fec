"""The API docs (Swagger UI) in a real browser under the site's Content-Security-Policy:
its scripts and styles come from our own static files (no CDN, no inline script), and the
page lists the endpoints with no script refused."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from pacesetter.web.tests.test_browser import browser  # noqa: F401  (a fixture)


def test_the_docs_page_loads_nothing_from_elsewhere(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "/static/ninja/swagger-ui-bundle.js" in page
    # Every script and style sheet from our own static files (no CDN, no other host);
    # looked for in src/href only: a random CSRF token may well contain "cdn".
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    assert "cdn." not in page.lower() and "https://" not in page and "http://" not in page


@pytest.mark.browser
def test_the_docs_page_works_under_the_csp(browser, live_server, db):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        assert page.goto(f"{live_server.url}/api/docs").status == 200
        page.wait_for_selector(".opblock", timeout=15_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/goals/{goal_id}/target" in [p.replace("\u200b", "") for p in paths]
    finally:
        context.close()
    assert problems == []
