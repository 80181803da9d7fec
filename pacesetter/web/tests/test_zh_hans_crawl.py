"""Every page in Simplified Chinese: no English word left.

Each page of ``pacesetter/web/urls.py`` is fetched (GET, with realistic arguments, as a
page and as an htmx fragment, with and without ``?period=``) by every role — admin,
regional manager, team manager, rep, mentee, mentor — in zh-hans, on an org with goals,
ledger rows, rewards, mentoring, check-ins, a collective goal and two plan versions, so that
the pages show their explanations (realism, focus, scorecards, reward notes, plan status).
The admin also previews two imports (what Pacesetter understood of a file, its warnings and
errors). The visible text — tags, scripts and styles stripped; ``title``, ``placeholder``,
``aria-label`` and ``alt`` kept — may hold no English word but the org's own names (people,
units, their initials), metric slugs, period labels (2026-Q4, 2026-W47), e-mail addresses,
file names, compact numbers ($12.0k), date formats (%d/%m/%Y), encodings (gb18030), settings'
names (PACESETTER_HUBSPOT_TOKEN), a few product names (``ALLOWED``), literals quoted
“like this” (values to type as they are) and, on the imports page, the import format's
field and activity-type names.

A failure names the page, the role, the offending words and the text around them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse

from pacesetter import planning
from pacesetter.coaching.models import CheckIn
from pacesetter.coaching.services import (
    development_goal_create,
    mentor_assign,
    mentoring_checkin_record,
)
from pacesetter.coaching.tests.conftest import Ledger, MentorOrg, strong_where_weak
from pacesetter.conftest import PASSWORD, make_person
from pacesetter.goals.models import Goal, GoalChange, PeriodReopening, Plan
from pacesetter.goals.services import CascadeOptions, plan_activate, plan_create_cascade
from pacesetter.jobs.models import Job
from pacesetter.ledger.import_jobs import report_as_json
from pacesetter.ledger.importers.kinds.fields import FIELDS
from pacesetter.ledger.importers.parsing import IGNORE
from pacesetter.ledger.importers.report import ImportReport
from pacesetter.ledger.models import Activity, ManualEntry
from pacesetter.ledger.rollups import rebuild
from pacesetter.metrics.engine import Window
from pacesetter.metrics.models import Metric
from pacesetter.notifications.tests.crawl import seed_notices
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.org.selectors import today_in_org, work_calendar
from pacesetter.rewards.models import Program, Reward, Rule
from pacesetter.rewards.services import awards_compute
from pacesetter.tracking.collective import collective_exclusion_create
from pacesetter.tracking.tv import tv_link_create
from pacesetter.web import urls as web_urls
from pacesetter.web.tests.conftest import ensure_metric_catalog, log_demos, make_goal

# Words that stay as they are in Chinese: the product, file formats, CRM products, the
# language switcher's "English", and what the org itself is called (added per fixture).
ALLOWED = {
    "Pacesetter",
    "CSV",
    "XLSX",
    "htmx",
    "English",
    "HubSpot",
    "Salesforce",
    "Pipedrive",
    "Slack",  # the chat products notifications post to
    "Microsoft",
    "Teams",
    "Webhook",  # the usual words in Chinese software too (Webhook 端点, URL)
    "URL",
    "USD",
    "EUR",  # currency codes, as in the import form's exchange rates (EUR=1.08)
    "JPY",
    "CRM",
    "API",  # the JSON API and its tokens (account/tokens/)
    "JSON",
    "A",  # plans compared: "方案 A" and "方案 B"
    "B",
}
CODES = re.compile(
    "|".join(
        (
            r"\b(?:FY)?\d{4}(?:-(?:Q[1-4]|W\d{2}|\d{2}(?:-\d{2})?))?\b",  # 2026-Q4, 2026-W47 …
            r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",  # e-mail addresses
            r"[\w-]*\.(?:csv|xlsx)\b",  # file names and extensions: deals.csv, .xlsx
            r"(?<=\d)[kM]\b",  # compact numbers: $12.0k, $1.35M
            r"%[a-zA-Z]",  # date formats: %d/%m/%Y
            r"\b(?:utf|cp|gb|latin)-?\d+\b",  # encodings: utf-8, cp1252, gb18030
            r"“[^”]*”",  # a literal, quoted: stage names to type, a file's own values
            r"\bPACESETTER_[A-Z_]+\b",  # a setting's name, to set on the server as it is
        )
    )
)
WORD = re.compile(r"[A-Za-z]+(?:_[A-Za-z]+)*")  # a slug is one word: meeting_booked
# Screen-reader and tooltip texts are read too; an input's value only when it is a button.
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
HIDDEN = {"script", "style", "noscript"}


class VisibleText(HTMLParser):
    """The text a user reads or hears of a page, one string per text node or attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        values = dict(attrs)
        self.parts.extend(values[a] or "" for a in ATTRIBUTES if values.get(a))
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.parts.append(values.get("value") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return [" ".join(unescape(p).split()) for p in parser.parts if p.strip()]


def english_words(parts: list[str], names: list[str], allowed: set[str]) -> dict[str, set[str]]:
    """Each English word found, with the texts it was found in."""
    found: dict[str, set[str]] = {}
    for part in parts:
        text = part
        for name in names:  # longest first: "Team Alpha" before "Alpha"
            text = text.replace(name, " ")
        text = CODES.sub(" ", text)
        for word in WORD.findall(text):
            if word not in allowed:
                found.setdefault(word, set()).add(part[:160])
    return found


# --- the org -------------------------------------------------------------------------------


class Books(Ledger):
    """This month's rows, with ids of their own (``strong_where_weak`` counts from t1)."""

    def _id(self) -> str:
        return f"crawl-{super()._id()}"


@dataclass
class CrawlOrg:
    today: dt.date
    units: dict[str, Unit]
    people: dict[str, Person]
    goals: dict[str, Goal]
    plans: list[Plan]
    names: list[str] = field(default_factory=list)


@pytest.fixture
def crawl_org(small_org) -> CrawlOrg:
    return make_crawl_org(small_org)


def make_crawl_org(small_org) -> CrawlOrg:
    """The small org with Dana and Evan (coaching/tests/conftest.py), three months of
    history (Bob weak where colleagues are strong), and this month: revenue, demo and call
    goals met or behind, a weekly habit, Team Alpha's collective goal (Evan excused), a
    competition, Charlie mentoring Bob with a development goal and notes, Alice's check-in,
    rewards earned and over the budget, and two versions of next year's plan (one active).
    Free texts (notes, reasons, reward and plan names) are in Chinese, as a Chinese org
    writes them."""
    ensure_metric_catalog()
    dana, evan = make_person("Dana Diaz"), make_person("Evan Evans")
    for person, team in ((dana, small_org.beta), (evan, small_org.alpha)):
        Role.objects.create(person=person, kind=Role.Kind.REP)
        Membership.objects.create(person=person, unit=team, valid_from=dt.date(2025, 1, 1))
    o = MentorOrg(small_org, dana, evan)
    today = today_in_org()
    cal = work_calendar()
    strong_where_weak(o, today)
    month, week = planning.month_of(today), planning.week_of(today, cal)
    quarter = planning.parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}", cal)
    start, end = month.start, month.end
    goals = {}
    for name in ("alice", "bob", "charlie", "dana", "evan"):
        person = getattr(o, name)
        goals[f"{name}_revenue"] = make_goal("revenue_won", start, end, 10000, person=person)
        goals[f"{name}_demos"] = make_goal("demos_held", start, end, 20, person=person, priority=2)
    goals["alice_calls"] = make_goal(
        "calls_made",
        quarter.start,
        quarter.end,
        300,
        person=o.alice,
        priority=3,
        period_kind="quarter",
    )
    goals["alice_articles"] = make_goal(
        "articles_shared", week.start, week.end, 2, person=o.alice, period_kind="week"
    )
    goals["alice_stretch"] = Goal.objects.create(
        metric="revenue_won",
        person=o.alice,
        period_kind="month",
        period_start=start,
        period_end=end,
        target=Decimal(15000),
        kind=Goal.Kind.STRETCH,
        tier_of=goals["alice_revenue"],
        priority=1,
    )
    goals["alpha_meetings"] = make_goal(
        "meetings_booked", start, end, 40, unit=o.alpha, kind="collective"
    )
    goals["beta_meetings"] = make_goal(
        "meetings_booked", start, end, 20, unit=o.beta, kind="collective"
    )
    goals["alpha_demos_race"] = make_goal(
        "demos_held", start, end, 20, unit=o.alpha, kind="competition"
    )
    goals["beta_demos_race"] = make_goal(
        "demos_held", start, end, 20, unit=o.beta, kind="competition"
    )
    # A goal of last month: its period has ended, so its page shows it frozen; an admin
    # re-opened the month before it, with a reason.
    last = planning.month_of(start - dt.timedelta(days=1))
    goals["bob_last_month"] = make_goal("calls_made", last.start, last.end, 200, person=o.bob)
    before_last = planning.month_of(last.start - dt.timedelta(days=1))
    PeriodReopening.objects.create(
        period_start=before_last.start,
        period_end=before_last.end,
        reason="补录一笔签错月份的交易",
        reopened_by=o.admin.user,
    )
    GoalChange.objects.filter(reason="test goal").update(reason="年初设定")
    collective_exclusion_create(goal=goals["alpha_meetings"], person=o.evan, reason="休假两周")

    # This month's numbers: Alice is ahead, Bob is behind, Charlie met his revenue goal.
    books = Books()
    this_month = planning.month_period(today.year, today.month)
    so_far = Window(this_month.start, today)
    books.deals(o.alice, 3, 1, "4000", so_far)
    books.deals(o.charlie, 1, 0, "11000", so_far)
    books.deals(o.bob, 0, 2, "900", so_far)
    books.activities(o.alice, "call", 120, so_far)
    books.activities(o.bob, "call", 20, so_far)
    books.activities(o.alice, "meeting_booked", 14, so_far)
    books.activities(o.evan, "meeting_booked", 9, so_far)
    books.activities(o.alice, "article", 1, Window(week.start, today + dt.timedelta(days=1)))
    log_demos(o.alice, 16, start, today)
    log_demos(o.bob, 3, start, today)
    ManualEntry.objects.create(
        source="web",
        external_id="crawl-pd",
        person=o.alice,
        metric="pd_events",
        first_day=week.start,
        value=Decimal(1),
    )
    books.done()
    rebuild()

    # Mentoring: Charlie mentors Bob on his close rate.
    mentor_assign(mentor=o.charlie, mentee=o.bob, on=today, focus="提高成交率")
    goals["bob_development"] = development_goal_create(
        mentee=o.bob,
        metric="pd_events",
        period=month,
        target=Decimal(1),
        mentor=o.charlie,
        note="参加一次谈判培训",
        on=today,
    )
    mentoring_checkin_record(
        mentor=o.charlie,
        mentee=o.bob,
        met_on=today,
        notes="讨论了价格异议",
        next_steps="周五进行角色扮演",
        today=today,
    )
    CheckIn.objects.create(
        person=o.alice,
        goal=goals["alice_revenue"],
        realistic=4,
        challenging=3,
        achievable=4,
        comment="目标可行",
    )
    CheckIn.objects.create(
        person=o.bob,
        goal=goals["bob_revenue"],
        realistic=2,
        challenging=5,
        achievable=2,
        comment="压力很大",
    )

    # Rewards: a company program with a small budget, and one for Team Beta.
    program = Program.objects.create(
        name="年度激励",
        budget=Decimal(300),
        starts_on=dt.date(today.year, 1, 1),
        description="达成月度目标的奖励",
    )
    cash = Reward.objects.create(name="现金奖金", kind=Reward.Kind.CASH, value=Decimal(250))
    day_off = Reward.objects.create(name="额外休假一天", kind=Reward.Kind.DAY_OFF, value=100)
    team_outing = Reward.objects.create(name="团队聚餐", kind=Reward.Kind.OUTING, value=400)
    for rule_name, reward, fields in (
        ("月度收入达标", cash, {"metric": "revenue_won", "period_kind": "month"}),
        ("演示达标", day_off, {"metric": "demos_held"}),
        ("超额完成", cash, {"trigger": Rule.Trigger.STRETCH_MET}),
        ("演示竞赛冠军", day_off, {"trigger": Rule.Trigger.COMPETITION_WON}),
        ("集体目标达成", team_outing, {"trigger": Rule.Trigger.COLLECTIVE_MET}),
    ):
        fields.setdefault("trigger", Rule.Trigger.GOAL_MET)
        Rule.objects.create(
            program=program, reward=reward, name=rule_name, status=Rule.Status.ACTIVE, **fields
        )
    beta = Program.objects.create(
        name="贝塔冲刺", unit=o.beta, budget=Decimal(5000), starts_on=dt.date(today.year, 1, 1)
    )
    Rule.objects.create(
        program=beta,
        reward=cash,
        name="贝塔收入",
        status=Rule.Status.ACTIVE,
        trigger=Rule.Trigger.GOAL_MET,
        metric="revenue_won",
        requires_top_priority=True,
    )
    awards_compute(period=month, today=today)

    # Next year's plan: two versions, the second active.
    plans = [
        plan_create_cascade(
            name="年度计划",
            year=today.year + 1,
            annual_target=Decimal(target),
            options=CascadeOptions(seasonality="flat"),
        )
        for target in (1200000, 1500000)
    ]
    plan_activate(plan=plans[1])

    people = {
        "admin": o.admin,
        "regional_manager": o.regional_manager,
        "manager": o.manager,
        **{n: getattr(o, n) for n in ("alice", "bob", "charlie", "dana", "evan")},
    }
    units = {"company": o.company, "region": o.region, "alpha": o.alpha, "beta": o.beta}
    # Full names, first names and initials (a chip shows "AA"): not surnames, as "Mia
    # Manager" and "Rhea Region" would hide the English words "Manager" and "Region".
    full_names = [p.full_name for p in Person.objects.all()]
    names = full_names + [n.split()[0] for n in full_names]
    names += ["".join(w[0] for w in n.split()[:2]).upper() for n in full_names]
    names += [u.name for u in Unit.objects.all()]
    names += list(Metric.objects.values_list("name", flat=True))
    return CrawlOrg(today, units, people, goals, plans, sorted(set(names), key=len, reverse=True))


# --- the pages -----------------------------------------------------------------------------

# Pages that only answer POST, or answer with something else than HTML.
NOT_CRAWLED = {
    "week_numbers": "POST only",
    "job_retry": "POST only",
    "healthz": "JSON",
    "period_close": "POST only",
    "mentoring_checkin": "POST only",
    "mentoring_goal": "POST only",
    "mentoring_assign": "POST only",
    "mentoring_end": "POST only",
    "plan_workbook": "an XLSX download",
    "person_focus_accept": "POST only",
    # CSV/XLSX downloads of the pages' tables (their headers: test_exports.py).
    "unit_team_export": "a CSV/XLSX download",
    "scorecard_export": "a CSV/XLSX download",
    "unit_competition_export": "a CSV/XLSX download",
    "org_export": "a CSV/XLSX download",
    "org_unit_export": "a CSV/XLSX download",
    "notification_read": "POST only",
    "notifications_read_all": "POST only",
    "webhook_enabled": "POST only",
    "sync_now": "POST only",
}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    htmx: bool = False

    def __str__(self) -> str:
        return f"{self.url}{' (htmx)' if self.htmx else ''}"


def pages(o: CrawlOrg) -> list[Page]:
    u, p, g = o.units, o.people, o.goals
    cal = work_calendar()
    month = planning.month_of(o.today)
    week = planning.week_of(o.today, cal)
    last_month = planning.month_of(month.start - dt.timedelta(days=1)).label
    quarter = f"{o.today.year}-Q{(o.today.month - 1) // 3 + 1}"
    plan, old_plan = o.plans[1], o.plans[0]

    def page(name: str, *args: object, query: str = "", htmx: bool = False) -> Page:
        return Page(name, reverse(name, args=args) + (f"?{query}" if query else ""), htmx)

    seed_notices(p.values())
    found = [
        page("home"),
        page("home", htmx=True),
        *(page("home", query=f"period={k}") for k in ("week", "month", "quarter")),
        page("home", query=f"week={week.label}"),
        page("first_run"),
        page("team"),
        *(page("unit_team", unit.pk) for unit in u.values()),
        page("unit_checkins", u["alpha"].pk),
        page("unit_checkins", u["region"].pk),
        *(page("person_detail", person.pk) for person in p.values()),
        page("org"),
        page("org_unit", u["region"].pk),
        page("org_unit", u["alpha"].pk),
        page("goal_new"),
        page("goal_new", query=f"person={p['bob'].pk}"),
        page("goal_new", query=f"unit={u['alpha'].pk}"),
        page("goal_waterfall"),
        page("goal_funnel"),
        page(
            "goal_funnel",
            query=f"person={p['bob'].pk}&revenue=20000&period={planning.month_of(month.end).label}",
        ),
        *(page("goal_detail", goal.pk) for goal in g.values()),
        page("goal_checkin", g["alice_revenue"].pk),
        page("goal_checkin", g["bob_revenue"].pk),
        page("plan_list"),
        page("plan_new"),
        page("plan_compare"),
        page("plan_compare", query=f"a={old_plan.pk}&b={plan.pk}&level=company"),
        page("plan_compare", query=f"a={old_plan.pk}&b={plan.pk}&level=team&changed=on"),
        page("plan_detail", plan.pk),
        *(page("plan_detail", plan.pk, query=f"level={lv}") for lv in ("region", "team", "person")),
        page("plan_detail", old_plan.pk),
        page("plan_activate", old_plan.pk),
        page("periods"),
        page("imports"),
        page("weekly_template"),
        page("jobs"),
        page("webhooks"),  # outbound webhooks (admins): endpoints and deliveries
        page("sync"),  # CRM sync (admins): the connectors and their runs
        page("api_tokens"),  # personal access tokens for the JSON API (everyone)
        *(page("import_job", job.pk) for job in crawl_jobs(o).values()),
        page("import_job", crawl_jobs(o)["queued"].pk, htmx=True),
        *(page("unit_collective", u[t].pk) for t in ("alpha", "beta")),
        page("unit_collective", u["alpha"].pk, query=f"period={last_month}"),
        page("unit_collective", u["region"].pk),
        *(page("unit_competition", u[t].pk) for t in ("alpha", "beta")),
        page("unit_competition", u["alpha"].pk, query="basis=raw"),
        page("unit_competition", u["alpha"].pk, query="cohort=tenure"),
        page("unit_competition", u["alpha"].pk, query=f"period={month.label}"),
        page("mentoring"),
        page("mentoring", htmx=True),
        page("mentoring", query=f"person={p['bob'].pk}"),
        page("mentoring", query=f"person={p['bob'].pk}", htmx=True),
        page("plan_workbook_upload", plan.pk),
        page("rewards"),
        page("notifications"),  # one notice of each kind (seed_notices above)
        page("notification_settings"),
        *(page("rewards", query=f"span={s}") for s in ("quarter", "year")),
        page("rewards", query=f"period={last_month}"),
        *(page("person_scorecard", p[n].pk) for n in ("alice", "bob", "charlie", "evan")),
        page("person_scorecard", p["alice"].pk, query=f"period={week.label}"),
        page("person_scorecard", p["bob"].pk, query=f"period={last_month}"),
        page("person_scorecard", p["alice"].pk, query=f"period={quarter}"),  # a 404
        # TV mode: the managers' links page, and a screen of each kind (page and fragment).
        *(page("unit_tv", u[t].pk) for t in ("alpha", "region")),
        page("tv_board", tv_link_create(goal=g["alpha_demos_race"], by=None)[1]),
        page("tv_board", tv_link_create(goal=g["alpha_meetings"], by=None)[1], htmx=True),
        page("tv_board", "no-such-link"),  # a 404 that says why
    ]
    return found


def crawl_jobs(o: CrawlOrg) -> dict[str, Job]:
    """Olga's imports: one done (its report), one waiting for the worker, one failed; and a
    recount that failed (Tasks shows why, and "run again")."""
    olga = o.people["admin"].user
    if not Job.objects.exists():
        report = ImportReport(kind="deals", source="csv", file="deals.csv", rows=4, created=4,
                              committed=True)  # fmt: skip
        result = {"report": report_as_json(report), "errors_csv": ""}
        made = {"done": ("done", result, ""), "queued": ("queued", None, ""),
                "failed": ("failed", None, "OperationalError: database is locked")}  # fmt: skip
        for key, (status, data, error) in made.items():
            Job.objects.create(kind="import", task_path="x", key=key, status=status,
                               result=data, error=error, requested_by=olga,
                               arguments={"name": "deals.csv"})  # fmt: skip
        Job.objects.create(kind="rollups", task_path="x", status="failed", error="ValueError: x")
    return {job.key: job for job in Job.objects.filter(kind="import")}


ROLES = {
    "admin": "olga",
    "regional manager": "rhea",
    "team manager": "mia",
    "rep": "alice",
    "mentee": "bob",
    "mentor": "charlie",
}


def zh_client(username: str | None) -> Client:
    # A page that fails is reported with the others, not raised.
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def import_codes() -> set[str]:
    """What an import file is written with: its fields and activity types (``owner =
    Sales rep`` maps the field ``owner``; ``Note = ignore`` skips a CRM's notes)."""
    fields = {spec.name for specs in FIELDS.values() for spec in specs}
    return fields | set(Activity.Kind.values) | {IGNORE}


def crawl(client: Client, page: Page, names: list[str], allowed: set[str] = ALLOWED) -> str:
    """The problems of one page, as text ('' when none)."""
    headers = {"HX-Request": "true"} if page.htmx else {}
    response = client.get(page.url, headers=headers, follow=True)
    if page.name in ("imports", "weekly_template", "import_job"):
        allowed = allowed | import_codes()
    return check(response, str(page), names, allowed)


def check(response, where: str, names: list[str], allowed: set[str]) -> str:
    if response.status_code >= 500:
        return f"{where}: failed with {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return check_html(
        response.content.decode(), f"{where} [{response.status_code}]", names, allowed
    )


def check_html(html: str, where: str, names: list[str], allowed: set[str]) -> str:
    if "<html" in html and '<html lang="zh-hans">' not in html:
        return f"{where}: not rendered in zh-hans"
    found = english_words(visible_text(html), names, allowed)
    if not found:
        return ""
    lines = [f"{where}: {', '.join(sorted(found))}"]
    texts = sorted({t for ts in found.values() for t in ts})
    lines += [f"    | {t}" for t in texts[:12]]
    if len(texts) > 12:
        lines.append(f"    | … and {len(texts) - 12} more")
    return "\n".join(lines)


def test_every_page_of_the_urls_is_crawled(crawl_org):
    crawled = {p.name for p in pages(crawl_org)}
    names = {p.name for p in web_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - crawled - set(NOT_CRAWLED) == set()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_in_chinese(crawl_org, role):
    client = zh_client(ROLES[role])
    problems = [crawl(client, page, crawl_org.names) for page in pages(crawl_org)]
    problems = [p for p in problems if p]
    assert not problems, f"English on {len(problems)} pages as {role}:\n" + "\n".join(problems)


def test_the_login_page_is_in_chinese(crawl_org):
    client = zh_client(None)
    problems = [crawl(client, Page("login", reverse("login")), crawl_org.names)]
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    problems.append(check(response, "login (wrong password)", crawl_org.names, ALLOWED))
    assert not [p for p in problems if p], "\n".join(problems)


DEALS_CSV = (
    "external_id,owner,stage,created,closed,amount\n"
    "d-1,alice@example.com,Closed Won,2026-10-01,2026-10-20,1200.50\n"
    "d-2,Alice Adams,Closed Lost,2026-09-01,2026-10-05,300\n"
    "d-3,bob@example.com,Negotiation,2026-10-03,,500\n"
    "d-4,Bob Brown,won,2026-09-15,2026-11-02,\n"
)
ENTRIES_CSV = (
    "email,metric,week,value\n"
    "alice@example.com,pd_events,2026-W46,1\n"
    "nobody@example.com,pd_events,2026-W46,1\n"
    "bob@example.com,no_such_metric,2026-W46,x\n"
)


@pytest.mark.parametrize(
    ("kind", "body"), [("deals", DEALS_CSV), ("entries", ENTRIES_CSV)], ids=["deals", "entries"]
)
def test_an_import_preview_is_in_chinese(crawl_org, settings, tmp_path, kind, body):
    """What Pacesetter understood of a file, its warnings and errors (the file's own
    columns and values are data, and stay as they are)."""
    settings.VAR_DIR = tmp_path
    client = zh_client("olga")
    upload = SimpleUploadedFile(f"{kind}.csv", body.encode(), content_type="text/csv")
    response = client.post(reverse("imports"), {"kind": kind, "file": upload})
    assert response.status_code == 200
    # The file's own columns and values (its first rows, its open stages, a rejected value)
    # are shown as they are; not the outcomes the preview names in words.
    html = re.sub(
        r'<section class="card" id="preview">.*?</section>',
        "",
        response.content.decode(),
        flags=re.S,
    )
    data = set(WORD.findall(body)) - {"won", "lost", "open", "Won", "Lost", "Open"}
    allowed = ALLOWED | import_codes() | data
    problem = check_html(html, f"imports: {kind} preview", crawl_org.names, allowed)
    assert not problem, problem
