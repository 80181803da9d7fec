"""What every response says to the browser (Content-Security-Policy, nosniff, referrer
policy), no inline script anywhere in the templates, redirects that stay on the site, a 400
for a period out of the calendar, and names escaped once in the "End mentoring" question."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from pacesetter.coaching.services import mentor_assign
from pacesetter.conftest import PASSWORD
from pacesetter.org.selectors import today_in_org

PACKAGE = Path(__file__).resolve().parents[2]
HOSTILE_NEXT = ["//evil.example", "https://evil.example/steal", "javascript:alert(1)",
                "///evil.example", "/\\evil.example"]  # fmt: skip


def policy_of(response) -> dict[str, str]:
    directives = response["Content-Security-Policy"].split(";")
    return dict(d.strip().split(" ", 1) for d in directives)


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "alice", "olga"])
def test_every_page_carries_the_security_headers(client, small_org, who):
    if who:
        client.login(username=who, password=PASSWORD)
    for url in (reverse("login"), reverse("home"), reverse("mentoring"), "/no-such-page/"):
        response = client.get(url)
        policy = policy_of(response)
        assert policy["script-src"] == "'self'", url  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_the_admin_carries_the_policy_too(client, small_org):
    client.login(username="olga", password=PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == "'self'"


# --- no inline script ----------------------------------------------------------------------


class Scripts(HTMLParser):
    """Inline scripts, ``on…=`` handlers and ``javascript:`` links of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.sources: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.sources.append(values["src"] or "")
            else:
                self.found.append("<script> without src")
        self.found += [f"<{tag} {name}=…>" for name, _v in attrs if name.startswith("on")]
        self.found += [
            f"<{tag} {name}={value}>"
            for name, value in attrs
            if name in ("href", "src", "action", "formaction")
            and (value or "").strip().lower().startswith("javascript:")
        ]


def scripts_of(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    parser.close()
    return parser


TEMPLATE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
TEMPLATE_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def test_no_template_holds_an_inline_script_or_an_event_handler():
    """The policy would block them: behaviour lives in web/static/web/pacesetter.js."""
    found = []
    for path in sorted(PACKAGE.glob("**/templates/**/*.html")):
        text = path.read_text()
        for pattern in (TEMPLATE_HANDLER, TEMPLATE_INLINE_SCRIPT):
            found += [f"{path.relative_to(PACKAGE)}: {m[0][:80]}" for m in pattern.finditer(text)]
    assert found == []


def test_pages_load_only_scripts_of_our_own_static_files(client, small_org):
    client.login(username="mia", password=PASSWORD)
    mentor_assign(mentor=small_org.charlie, mentee=small_org.alice, on=today_in_org())
    html = client.get(reverse("mentoring")).content.decode()
    scripts = scripts_of(html)
    assert scripts.found == []
    assert any("htmx" in src for src in scripts.sources)  # htmx, from django-htmx, still there
    assert static("web/pacesetter.js") in scripts.sources
    assert all(src.startswith(static("")) for src in scripts.sources)
    assert finders.find("web/pacesetter.js")


# --- redirects stay on the site ------------------------------------------------------------


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_logging_in_never_leads_off_the_site(client, small_org, target):
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": "alice", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # The login form does not offer to go on to it either.
    client.logout()
    page = client.get(reverse("login"), {"next": target}).content.decode()
    form = page[page.index('id="login-form"') :]
    assert '<input type="hidden" name="next" value="">' in form[: form.index("</form>")]


def test_logging_in_goes_on_to_a_page_of_the_site(client, small_org):
    target = reverse("mentoring") + "?person=3"
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_logging_out_never_leads_off_the_site(client, small_org, target):
    client.login(username="alice", password=PASSWORD)
    response = client.post(reverse("logout") + f"?next={target}", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_switching_language_never_leads_off_the_site(client, small_org, target):
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": target}, HTTP_REFERER=target
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/rewards/"})
    assert response["Location"] == "/rewards/"


def test_the_first_run_sends_a_visitor_to_log_in_and_back_to_it(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    response = client.get(reverse("first_run"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('first_run')}"


# --- periods out of the calendar -----------------------------------------------------------


@pytest.mark.parametrize("period", ["0001-01", "0001-W01", "9999-12", "9999-12-31"])
def test_a_period_out_of_the_calendar_is_a_bad_request_not_a_crash(client, small_org, period):
    client.login(username="mia", password=PASSWORD)
    o = small_org
    urls = [
        reverse("unit_collective", args=[o.alpha.pk]),
        reverse("unit_competition", args=[o.alpha.pk]),
    ]
    if period != "9999-12-31":  # the scorecard shows months and weeks only: a day is a 404
        urls.append(reverse("person_scorecard", args=[o.alice.pk]))
    for url in urls:
        response = client.get(url, {"period": period})
        assert response.status_code in (400, 404), (url, response.status_code)
        if response.status_code == 400:
            page = response.content.decode()
            assert "outside the calendar (years 1 to 9999)" in page or "bad period label" in page


def test_the_first_month_of_the_calendar_is_refused_in_the_readers_language(client, small_org):
    client.login(username="mia", password=PASSWORD)
    url = reverse("person_scorecard", args=[small_org.alice.pk])
    response = client.get(url, {"period": "0001-01"})
    assert response.status_code == 400
    assert "0001-01-01 moved by -1 months falls outside the calendar" in response.content.decode()
    response = client.get(url, {"period": "0001-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 400 and '<html lang="zh-hans">' in page
    assert "falls outside" not in page and "0001-01-01" in page


def test_a_bad_period_is_shown_escaped(client, small_org):
    """The refusal quotes what was typed: as text, never as markup."""
    client.login(username="mia", password=PASSWORD)
    hostile = "<script>alert(1)</script>"
    for name in ("unit_collective", "unit_competition"):
        response = client.get(reverse(name, args=[small_org.alpha.pk]), {"period": hostile})
        assert response.status_code == 400
        page = response.content.decode()
        assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the "End mentoring" question ----------------------------------------------------------


class Confirms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.questions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        question = dict(attrs).get("data-confirm")
        if tag == "form" and question:
            self.questions.append(question)


def test_ending_a_mentorship_asks_with_the_names_as_they_are(client, small_org):
    """``O'Brien`` reads O'Brien in the question (it read ``O&#x27;Brien``: escaped for the
    page, then again for JavaScript)."""
    o = small_org
    o.charlie.full_name = "Charlie O'Brien"
    o.charlie.save()
    o.alice.full_name = 'Alice "Ace" <Adams> & Co'
    o.alice.save()
    mentor_assign(mentor=o.charlie, mentee=o.alice, on=today_in_org())
    client.login(username="mia", password=PASSWORD)
    html = client.get(reverse("mentoring")).content.decode()
    parser = Confirms()
    parser.feed(html)
    assert parser.questions == [
        "End Charlie O'Brien's mentoring of Alice \"Ace\" <Adams> & Co? The mentor no longer "
        "sees the mentee's development goals; the history is kept."
    ]
    assert "&amp;#x27;" not in html and "<Adams>" not in html
