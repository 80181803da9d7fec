"""What assistive technology reads, checked in the HTML itself (the browser test runs axe on
the same pages): a skip link first, labels that point at real fields, radio groups in a
fieldset with a legend, charts and the team grid told in words, wide tables in their own
scroll box."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client

from pacesetter.conftest import PASSWORD
from pacesetter.goals.services import CascadeOptions, plan_activate, plan_create_cascade
from pacesetter.web.tests.conftest import WebOrg

FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


class Markup(HTMLParser):
    """The ids, the labels' targets, the first focusable element and the open fieldsets."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.label_targets: list[str] = []
        self.first_focusable: dict[str, str] | None = None
        self.radios_outside_fieldset: list[str] = []
        self.legends = 0
        self._fieldsets = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label" and "for" in a:
            self.label_targets.append(a["for"])
        if tag == "fieldset":
            self._fieldsets += 1
        if tag == "legend" and self._fieldsets:
            self.legends += 1
        if tag == "input" and a.get("type") == "radio" and not self._fieldsets:
            self.radios_outside_fieldset.append(a.get("name", ""))
        if self.first_focusable is None and (tag in FOCUSABLE and a.get("type") != "hidden"):
            self.first_focusable = {"tag": tag, **a}

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset":
            self._fieldsets -= 1


def parsed(client: Client, url: str) -> tuple[Markup, str]:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    markup = Markup()
    markup.feed(html)
    return markup, html


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def pages(w: WebOrg) -> list[tuple[str, str]]:
    o = w.org
    return [
        ("alice", "/"),
        ("alice", f"/goals/{w.alice_demos.pk}/check-in/"),
        ("alice", f"/goals/{w.alice_demos.pk}/"),
        ("alice", "/mentoring/"),
        ("mia", "/team/"),
        ("mia", f"/people/{o.bob.pk}/"),
        ("mia", "/goals/new/"),
        ("mia", "/mentoring/"),
        ("olga", "/plans/"),
        ("olga", f"/plans/{w.plan.pk}/"),
        ("olga", f"/plans/{w.plan.pk}/activate/"),
        ("olga", "/imports/"),
    ]


@pytest.mark.django_db
def test_every_label_points_at_a_field_and_the_skip_link_comes_first(web_org):
    clients: dict[str, Client] = {}
    for username, url in pages(web_org):
        client = clients.setdefault(username, signed_in(username))
        markup, html = parsed(client, url)
        missing = [target for target in markup.label_targets if target not in markup.ids]
        assert missing == [], f"{url}: labels for no field: {missing}"
        assert markup.radios_outside_fieldset == [], url
        assert markup.first_focusable is not None
        assert (markup.first_focusable["tag"], markup.first_focusable.get("href")) == (
            "a",
            "#main",
        ), url
        assert '<main id="main"' in html


def test_the_checkin_scores_are_three_labelled_groups(client, web_org):
    client.login(username="alice", password=PASSWORD)
    markup, html = parsed(client, f"/goals/{web_org.alice_demos.pk}/check-in/")
    legends = re.findall(r"<fieldset[^>]*>\s*<legend>([^<]+)</legend>", html)
    assert legends == ["Is it realistic?", "Is it challenging?", "Is it achievable?"]
    assert {"id_realistic_0", "id_realistic_4", "id_achievable_2"} <= markup.ids
    assert markup.label_targets.count("id_realistic_0") == 1


def test_a_bad_checkin_ties_its_error_to_the_group(client, web_org):
    client.login(username="alice", password=PASSWORD)
    response = client.post(f"/goals/{web_org.alice_demos.pk}/check-in/", {"challenging": "3"})
    html = response.content.decode()
    fieldset = re.search(r'<fieldset[^>]*id="field-realistic"[^>]*>', html)
    assert fieldset is not None
    assert 'aria-describedby=" id_realistic_error"' in fieldset.group(0)
    assert 'id="id_realistic_error"' in html


def test_the_burn_up_tells_its_numbers_in_words(client, web_org):
    """Bob: 2 demos of 30, behind; the chart's text alternative says so."""
    client.login(username="mia", password=PASSWORD)
    _markup, html = parsed(client, f"/people/{web_org.org.bob.pk}/")
    goal = web_org.bob_demos.pk
    assert f'role="img" aria-labelledby="burnup-{goal}-title burnup-{goal}-desc"' in html
    desc = re.search(rf'<desc id="burnup-{goal}-desc">([^<]+)</desc>', html)
    assert desc is not None
    assert desc.group(1).startswith("2 of 30 so far (7 %); the pace line expects ")
    assert "behind." in desc.group(1)
    bar = re.search(r'<div class="bar" role="img" aria-label="([^"]+)"', html)
    assert bar is not None
    assert "of the target; the marker shows where you should be today: " in bar.group(1)


def test_the_team_grid_says_each_status_in_words(client, web_org):
    client.login(username="mia", password=PASSWORD)
    html = client.get(f"/units/{web_org.org.alpha.pk}/").content.decode()
    bob = re.search(rf'<a href="/goals/{web_org.bob_demos.pk}/">([^<]+)<span', html)
    assert bob is not None and bob.group(1) == "7 %"
    assert '7 %<span class="visually-hidden"> behind</span>' in html
    assert '100 %<span class="visually-hidden"> achieved</span>' in html


def test_the_org_table_says_each_status_in_words(client, web_org):
    """This year's plan is active: each month so far is coloured by its status, and says it."""
    plan = plan_create_cascade(
        name="FY-now",
        year=web_org.today.year,
        annual_target=Decimal(1200000),
        options=CascadeOptions(seasonality="flat"),
    )
    plan_activate(plan=plan)
    client.login(username="olga", password=PASSWORD)
    html = client.get("/org/").content.decode()
    # Each month so far and each total: its status class, then its status in words.
    cells = re.findall(
        r'<td class="org-cell (?:total sticky-2|past|current) (\w+)"[^>]*>(?:(?!</td>).)*?'
        r'visually-hidden"> ([^<]*)</span>',
        html,
        re.S,
    )
    shown = len(re.findall(r'<td class="org-cell (?:total sticky-2|past|current) ', html))
    assert len(cells) == shown and "behind" in {code for code, _words in cells}
    assert all(words == code.replace("_", " ") for code, words in cells)  # on_track: on track


def test_wide_tables_scroll_in_a_box_the_keyboard_reaches(client, web_org):
    client.login(username="olga", password=PASSWORD)
    for url, table in (
        ("/plans/", "plans"),
        (f"/plans/{web_org.plan.pk}/activate/", "activation-preview"),
    ):
        html = client.get(url).content.decode()
        box = re.search(rf'<div class="scroll"[^>]*>\s*<table class="table" id="{table}"', html)
        assert box is not None, url
        assert 'tabindex="0"' in box.group(0) and 'role="region"' in box.group(0)


def test_a_rep_still_cannot_open_the_admins_tables(client, web_org):
    client.login(username="alice", password=PASSWORD)
    assert client.get("/plans/").status_code == 403
    assert client.get(f"/plans/{web_org.plan.pk}/activate/").status_code == 403
    assert client.get(f"/units/{web_org.org.beta.pk}/").status_code in (403, 404)
