"""Every page, as every role, with names that are markup: imported through the importers
(the org import for people and a team; accounts, and deals and activities on them, with
deal names, products and subjects), then shown escaped — no page holds a raw ``<script>`` or an
``onerror=`` handler, and the names still read as they were typed.

The pages and the org are the zh-hans crawl's (``test_zh_hans_crawl.py``), plus the hostile
person's and team's own pages.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pacesetter.coaching.services import mentor_assign
from pacesetter.conftest import PASSWORD
from pacesetter.goals.models import Goal
from pacesetter.ledger.importers.engine import run_import
from pacesetter.ledger.importers.options import ImportOptions
from pacesetter.ledger.models import Account, Activity, Deal
from pacesetter.org.models import Person, Unit
from pacesetter.web.tests.conftest import make_goal
from pacesetter.web.tests.test_zh_hans_crawl import ROLES, CrawlOrg, Page, make_crawl_org, pages

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMG)


def csv_file(tmp_path, name: str, rows: list[list[str]]):
    import csv

    path = tmp_path / name
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def import_hostile_names(tmp_path, org: CrawlOrg) -> tuple[Person, Person, Unit]:
    """Two people named with markup (one in Team Alpha, one in a new team named with markup
    under the region), their deals and activities on accounts named with markup."""
    people = csv_file(tmp_path, "org.csv", [
        ["person", "email", "team", "parent_unit", "manager"],
        [SCRIPT, "xss1@example.com", "Team Alpha", "Americas", ""],
        [IMG, "xss2@example.com", IMG, "Americas", "mia@example.com"],
    ])  # fmt: skip
    since = org.today.replace(month=1, day=1)  # members all year: on every board
    report = run_import("org", people, options=ImportOptions(create_people=True, as_of=since))
    assert not report.errors, report.errors
    day = org.today.isoformat()
    accounts = csv_file(tmp_path, "accounts.csv", [
        ["external_id", "name", "owner", "acquired"],
        ["acc-1", SCRIPT, "xss1@example.com", day],
        ["acc-2", IMG, "xss2@example.com", day],
    ])  # fmt: skip
    assert not run_import("accounts", accounts, options=ImportOptions()).errors
    deals = csv_file(tmp_path, "deals.csv", [
        ["external_id", "owner", "stage", "created", "closed", "amount", "account", "name",
         "product"],
        ["x-1", "xss1@example.com", "Closed Won", day, day, "1200", "acc-1", IMG, SCRIPT],
        ["x-2", "xss2@example.com", "Negotiation", day, "", "500", "acc-2", SCRIPT, IMG],
    ])  # fmt: skip
    assert not run_import("deals", deals, options=ImportOptions()).errors
    activities = csv_file(tmp_path, "activities.csv", [
        ["external_id", "person", "type", "occurred", "account", "subject"],
        ["xa-1", "xss1@example.com", "call", day, "acc-2", SCRIPT],
        ["xa-2", "xss2@example.com", "meeting", day, "acc-1", IMG],
    ])  # fmt: skip
    assert not run_import("activities", activities, options=ImportOptions()).errors

    script, img = Person.objects.get(full_name=SCRIPT), Person.objects.get(full_name=IMG)
    team = Unit.objects.get(name=IMG)
    assert set(Account.objects.values_list("name", flat=True)) >= set(HOSTILE)
    assert Deal.objects.filter(name=IMG, account__name=SCRIPT).exists()
    assert Activity.objects.filter(account__name=IMG).exists()
    return script, img, team


class Markup(HTMLParser):
    """What would run: script elements without a source, ``on…`` attributes, ``<img>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.found.append("<script> without src")
        if tag == "img" and values.get("src") == "x":
            self.found.append("<img src=x>")
        self.found += [f"<{tag} {name}=…>" for name in values if name.startswith("on")]


def problems(response, where: str) -> list[str]:
    if response.status_code >= 500:
        return [f"{where}: failed with {response.status_code}"]
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    found = [f"{where}: raw {h!r}" for h in HOSTILE if h in html]
    found += [f"{where}: raw onerror=alert(1)>" for _ in [1] if "onerror=alert(1)>" in html]
    parser = Markup()
    parser.feed(html)
    parser.close()
    return found + [f"{where}: {f}" for f in parser.found]


@pytest.fixture
def hostile_org(small_org, tmp_path) -> tuple[CrawlOrg, list[Page]]:
    org = make_crawl_org(small_org)
    script, img, team = import_hostile_names(tmp_path, org)
    month = Goal.objects.get(pk=org.goals["alice_revenue"].pk)
    make_goal("revenue_won", month.period_start, month.period_end, 5000, person=script)
    make_goal("revenue_won", month.period_start, month.period_end, 5000, person=img)
    make_goal("meetings_booked", month.period_start, month.period_end, 9, unit=team,
              kind="collective")  # fmt: skip
    make_goal("demos_held", month.period_start, month.period_end, 9, unit=team,
              kind="competition")  # fmt: skip
    mentor_assign(mentor=script, mentee=org.people["bob"], on=org.today, focus=IMG)
    mentor_assign(mentor=org.people["charlie"], mentee=img, on=org.today, focus=SCRIPT)
    script.user = get_user_model().objects.create_user("xss1", "xss1@example.com", PASSWORD)
    script.save()
    extra = [
        Page("person_detail", reverse("person_detail", args=[script.pk])),
        Page("person_detail", reverse("person_detail", args=[img.pk])),
        Page("person_scorecard", reverse("person_scorecard", args=[script.pk])),
        Page("unit_team", reverse("unit_team", args=[team.pk])),
        Page("unit_collective", reverse("unit_collective", args=[team.pk])),
        Page("unit_competition", reverse("unit_competition", args=[team.pk])),
        Page("goal_new", reverse("goal_new") + f"?person={script.pk}"),
        Page("mentoring", reverse("mentoring") + f"?person={img.pk}"),
    ]
    return org, pages(org) + extra


@pytest.mark.parametrize("role", [*ROLES, "hostile rep"])
def test_every_page_shows_hostile_names_escaped(hostile_org, role):
    _org, crawled = hostile_org
    client = Client(raise_request_exception=False)
    if role == "hostile rep":  # the person named <script>…, logged in as themself
        assert client.login(username="xss1", password=PASSWORD)
    else:
        assert client.login(username=ROLES[role], password=PASSWORD)
    found = []
    shown = 0
    for page in crawled:
        headers = {"HX-Request": "true"} if page.htmx else {}
        response = client.get(page.url, headers=headers, follow=True)
        found += problems(response, str(page))
        shown += response.content.decode().count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert not found, f"markup on {len(found)} pages as {role}:\n" + "\n".join(found)
    assert shown, "the hostile names were shown nowhere: the test proves nothing"
