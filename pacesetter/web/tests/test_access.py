"""Every URL of the app, as every role and as a stranger: allowed, or refused.

The table below names, for each URL, what each visitor gets: 200 (the page), "go" (a
redirect to somewhere other than the login page: an action done or a hop), "login" (sent to
log in), 403 (a page for another role) or 404 (an object outside the visitor's scope: a
guessed id tells nothing). A URL added to the app without a row here fails the last test.

Visitors: olga (admin), mia (manager of Team Alpha), rhea (manager of the Americas region:
both teams), alice (rep in Alpha), charlie (rep in Beta, mentor of Bob), and a stranger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pacesetter.conftest import PASSWORD
from pacesetter.goals.models import PeriodReopening, Plan
from pacesetter.goals.services import plan_activation_preview
from pacesetter.jobs.models import Job
from pacesetter.tracking.tv import tv_link_create

VISITORS = ("olga", "mia", "rhea", "alice", "charlie", "anonymous")
# Django's own and the admin's URLs are tested by Django and by test_admin.py.
# The JSON API's endpoints (namespace "api") are refused and served by role in
# api/tests/test_access.py; single sign-on's two steps in sso/tests/test_sso.py.
NOT_OURS = ("admin", "set_language", "javascript-catalog", "api",
            "oidc_authentication_init", "oidc_authentication_callback")  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    args: Callable[[Any], list[int]]  # from the fixture to the URL's arguments
    expect: dict[str, int | str]  # visitor → status; missing visitors: "others"
    method: str = "get"
    data: dict[str, str] | None = None
    label: str = ""
    query: Callable[[Any], dict[str, str]] | None = None  # GET parameters from the fixture

    def expected(self, visitor: str) -> int | str:
        if visitor == "anonymous":
            return self.expect.get("anonymous", "login")
        return self.expect.get(visitor, self.expect.get("others", 200))


def none(w: Any) -> list[int]:
    return []


def reopened_august(w: Any) -> PeriodReopening:
    """A month that has ended, re-opened by an admin."""
    return PeriodReopening.objects.create(
        period_start=w.today.replace(day=1, month=8),
        period_end=w.today.replace(day=1, month=9),
        reason="a deal in the wrong month",
    )


def a_job(w: Any, kind: str, status: str) -> Job:
    """A task Olga started."""
    return Job.objects.create(
        kind=kind,
        task_path="pacesetter.ledger.tasks.recount_rollups",
        status=status,
        requested_by=w.org.admin.user,
        result={"report": None},
    )


def alice_notice(w: Any) -> list[int]:
    """A notice of Alice's: only she may mark it read."""
    from pacesetter.notifications.services import Event, notify

    event = Event(w.org.alice.pk, "goal_changed", "goal:1:2", {"metric": "demos_held"}, "/")
    return [notice.pk for notice in notify([event])]


def an_endpoint(w: Any) -> list[int]:
    """A webhook endpoint: only an admin may switch it off."""
    from pacesetter.hooks.models import Endpoint

    return [Endpoint.objects.create(name="CRM", url="https://example.com/hook", secret="s").pk]


MANAGERS_ONLY = {"olga": 200, "mia": 200, "rhea": 200, "others": 403}
ADMIN_ONLY = {"olga": 200, "others": 403}
ALPHA_ONLY = {"olga": 200, "mia": 200, "rhea": 200, "others": 404}
EDIT = {"target": "12", "priority": "2", "reason": "test", "version": "1"}
TEAM_ALPHA = {"olga": 200, "mia": 200, "rhea": 200, "alice": 200, "charlie": 404}
TEAM_BETA = {"olga": 200, "rhea": 200, "charlie": 200, "mia": 404, "alice": 404}

CASES = [
    # Managers without goals of their own start on their team's page, admins on the org's.
    Case("home", none, {"olga": "go", "mia": "go", "rhea": "go", "others": 200}),
    Case(
        "home",
        none,
        {"others": 200},
        label="a period asked for",
        query=lambda w: {"period": "month"},
    ),
    Case("week_numbers", none, {"others": "go"}, "post", {"pd_events": "1"}),
    Case("healthz", none, {"anonymous": 200, "others": 200}),
    Case("login", none, {"anonymous": 200, "others": 200}),
    # The first-run page exists only while there is no org: then it answers 404 to all.
    Case("first_run", none, {"anonymous": 404, "others": 404}),
    Case("logout", none, {"anonymous": "login", "others": "login"}, "post"),
    Case("team", none, {"olga": "go", "mia": "go", "rhea": "go", "others": 403}),
    Case("unit_team", lambda w: [w.org.alpha.pk], ALPHA_ONLY, label="alpha"),
    Case(
        "unit_team",
        lambda w: [w.org.beta.pk],
        {"olga": 200, "rhea": 200, "others": 404},
        label="beta, outside Mia's team",
    ),
    Case(
        "unit_team",
        lambda w: [w.org.region.pk],
        {"olga": 200, "rhea": 200, "others": 404},
        label="region",
    ),
    Case("unit_checkins", lambda w: [w.org.alpha.pk], ALPHA_ONLY),
    Case(
        "unit_checkins",
        lambda w: [w.org.beta.pk],
        {"olga": 200, "rhea": 200, "others": 404},
        label="beta",
    ),
    Case(
        "person_detail",
        lambda w: [w.org.alice.pk],
        {"charlie": 404, "others": 200},
        label="alice: another rep guesses her id",
    ),
    Case(
        "person_detail",
        lambda w: [w.org.bob.pk],
        {"alice": 404, "others": 200},
        label="bob: charlie mentors him",
    ),
    Case(
        "person_detail",
        lambda w: [w.org.charlie.pk],
        {"mia": 404, "alice": 404, "others": 200},
        label="charlie: outside Mia's team",
    ),
    Case("person_detail", lambda w: [999999], {"others": 404}, label="nobody"),
    Case("org", none, MANAGERS_ONLY),
    Case("org_unit", lambda w: [w.org.alpha.pk], {**MANAGERS_ONLY}),
    Case(
        "org_unit",
        lambda w: [w.org.beta.pk],
        {"olga": 200, "rhea": 200, "mia": 404, "others": 403},
        label="beta",
    ),
    Case("goal_new", none, MANAGERS_ONLY),
    Case("goal_waterfall", none, MANAGERS_ONLY),
    Case("goal_funnel", none, MANAGERS_ONLY),
    Case(
        "goal_detail",
        lambda w: [w.alice_demos.pk],
        {"charlie": 404, "others": 200},
        label="alice's goal",
    ),
    Case(
        "goal_detail",
        lambda w: [w.charlie_demos.pk],
        {"mia": 404, "alice": 404, "others": 200},
        label="manager guesses a goal outside the subtree",
    ),
    Case(
        "goal_detail",
        lambda w: [w.bob_demos.pk],
        {"alice": 404, "charlie": 404, "others": 200},
        label="bob's goal: not for his mentor",
    ),
    Case(
        "goal_detail",
        lambda w: [w.bob_development.pk],
        {"alice": 404, "others": 200},
        label="bob's development goal: his mentor sees it",
    ),
    Case(
        "goal_detail",
        lambda w: [w.beta_meetings.pk],
        {"mia": 404, "alice": 404, "others": 200},
        label="team Beta's goal",
    ),
    Case(
        "goal_detail",
        lambda w: [w.alice_demos.pk],
        {"olga": "go", "mia": "go", "rhea": "go", "alice": 403, "charlie": 404},
        "post",
        EDIT,
        label="edit alice's target",
    ),
    Case(
        "goal_detail",
        lambda w: [w.charlie_demos.pk],
        {"olga": "go", "rhea": "go", "mia": 404, "alice": 404, "charlie": 403},
        "post",
        EDIT,
        label="edit charlie's target",
    ),
    Case(
        "goal_detail",
        lambda w: [w.alpha_meetings.pk],
        {"olga": "go", "mia": "go", "rhea": "go", "alice": 403, "charlie": 404},
        "post",
        EDIT,
        label="edit team Alpha's goal",
    ),
    Case(
        "goal_checkin", lambda w: [w.alice_demos.pk], {"alice": 200, "charlie": 404, "others": 403}
    ),
    Case("plan_list", none, ADMIN_ONLY),
    Case("plan_new", none, ADMIN_ONLY),
    Case("plan_compare", none, ADMIN_ONLY),
    Case("plan_detail", lambda w: [w.plan.pk], ADMIN_ONLY),
    Case("plan_activate", lambda w: [w.plan.pk], ADMIN_ONLY, label="the preview"),
    Case(
        "plan_activate",
        lambda w: [w.plan.pk],
        {"olga": "go", "others": 403},
        "post",
        label="confirmed",
        query=lambda w: {"fingerprint": plan_activation_preview(plan=w.plan).fingerprint},
    ),
    Case("periods", none, ADMIN_ONLY),
    Case(
        "period_close",
        lambda w: [reopened_august(w).pk],
        {"olga": "go", "others": 403},
        "post",
        label="a re-opened month",
    ),
    Case("imports", none, ADMIN_ONLY),
    # An import's page is for the admin who started it; Tasks for everyone (their own).
    Case("import_job", lambda w: [a_job(w, "import", "done").pk], ADMIN_ONLY, label="olga's"),
    Case("jobs", none, {"others": 200}),
    Case(
        "job_retry",
        lambda w: [a_job(w, "rollups", "failed").pk],
        {"olga": "go", "others": 403},
        "post",
        label="a failed task",
    ),
    Case(
        "weekly_template",
        none,
        {"olga": 400, "mia": 400, "rhea": 400, "others": 403},
        label="no team given",
    ),
    Case(
        "weekly_template",
        none,
        {**MANAGERS_ONLY},
        label="alpha",
        query=lambda w: {"team": str(w.org.alpha.pk), "week": w.today.isoformat()},
    ),
    Case(
        "weekly_template",
        none,
        {"olga": 200, "rhea": 200, "mia": 400, "others": 403},
        label="beta: not a team Mia may choose",
        query=lambda w: {"team": str(w.org.beta.pk), "week": w.today.isoformat()},
    ),
    # Collective goals and competitions: team aggregates, so a rep sees their own team's.
    Case("unit_collective", lambda w: [w.org.alpha.pk], TEAM_ALPHA, label="alpha"),
    Case("unit_collective", lambda w: [w.org.beta.pk], TEAM_BETA, label="beta"),
    Case(
        "unit_collective",
        lambda w: [w.org.region.pk],
        {"olga": 200, "rhea": 200, "others": 404},
        label="region",
    ),
    Case("unit_collective", lambda w: [999999], {"others": 404}, label="nowhere"),
    Case(
        "unit_collective",
        lambda w: [w.org.alpha.pk],
        {"olga": "go", "mia": "go", "rhea": "go", "alice": 403, "charlie": 404},
        "post",
        label="excuse bob from alpha's collective goal",
        query=lambda w: {
            "goal": str(w.alpha_meetings.pk),
            "person": str(w.org.bob.pk),
            "reason": "on leave",
        },
    ),
    Case(
        "unit_collective",
        lambda w: [w.org.alpha.pk],
        {"olga": 404, "mia": 404, "rhea": 404, "alice": 404, "charlie": 404},
        "post",
        label="beta's goal posted to alpha's page",
        query=lambda w: {
            "goal": str(w.beta_meetings.pk),
            "person": str(w.org.charlie.pk),
            "reason": "on leave",
        },
    ),
    Case("unit_competition", lambda w: [w.org.alpha.pk], TEAM_ALPHA, label="alpha"),
    Case("unit_competition", lambda w: [w.org.beta.pk], TEAM_BETA, label="beta"),
    Case(
        "unit_competition",
        lambda w: [w.org.region.pk],
        {"olga": 200, "rhea": 200, "others": 404},
        label="region",
    ),
    # The plan workbook: managers get their own teams' sheets; a unit outside them is a 404.
    Case("plan_workbook", lambda w: [w.plan.pk], MANAGERS_ONLY, label="every team one may see"),
    Case(
        "plan_workbook",
        lambda w: [w.plan.pk],
        {"olga": 200, "rhea": 200, "mia": 404, "others": 403},
        label="beta: outside Mia's team",
        query=lambda w: {"unit": str(w.org.beta.pk)},
    ),
    Case(
        "plan_workbook",
        lambda w: [999999],
        {"olga": 404, "mia": 404, "rhea": 404, "others": 403},
        label="no such plan",
    ),
    Case("plan_workbook_upload", lambda w: [w.plan.pk], MANAGERS_ONLY),
    Case(
        "plan_workbook_upload",
        lambda w: [w.plan.pk],
        {"olga": 400, "mia": 400, "rhea": 400, "others": 403},
        "post",
        label="no file",
    ),
    # Rewards: everyone sees their own; managers their subtree's payout and budgets (the
    # content is scoped: see pacesetter/rewards/tests/test_page.py).
    Case("rewards", none, {"others": 200}),
    Case("rewards", none, {"others": 200}, label="a quarter", query=lambda w: {"span": "quarter"}),
    Case("rewards", none, {"anonymous": 405, "others": 405}, "post", label="read-only"),
    # Mentoring (M8): charlie mentors bob; managers find and assign mentors in their subtree.
    Case("mentoring", none, {"others": 200}),
    Case(
        "mentoring",
        none,
        {**MANAGERS_ONLY},
        label="suggestions for bob",
        query=lambda w: {"person": str(w.org.bob.pk)},
    ),
    Case(
        "mentoring",
        none,
        {"olga": 200, "rhea": 200, "mia": 404, "others": 403},
        label="suggestions for charlie: outside Mia's team",
        query=lambda w: {"person": str(w.org.charlie.pk)},
    ),
    Case(
        "mentoring_checkin",
        none,
        {"charlie": "go", "others": 403},
        "post",
        label="charlie about his mentee bob",
        query=lambda w: {"mentee": str(w.org.bob.pk), "met_on": w.today, "notes": "talked"},
    ),
    Case(
        "mentoring_checkin",
        none,
        {"charlie": 404, "others": 403},
        "post",
        label="charlie about alice: not his mentee",
        query=lambda w: {"mentee": str(w.org.alice.pk), "met_on": w.today, "notes": "talked"},
    ),
    Case(
        "mentoring_goal",
        none,
        {"olga": "go", "mia": "go", "rhea": "go", "charlie": "go", "alice": 403},
        "post",
        label="bob's development goal: his mentor or managers",
        query=lambda w: {
            "mentee": str(w.org.bob.pk),
            "metric": "pd_events",
            "period": "2031-01",
            "target": "1",
        },
    ),
    Case(
        "mentoring_goal",
        none,
        {"olga": "go", "rhea": "go", "mia": 404, "charlie": 404, "alice": 403},
        "post",
        label="charlie's development goal: not his own, not Mia's rep",
        query=lambda w: {
            "mentee": str(w.org.charlie.pk),
            "metric": "pd_events",
            "period": "2031-01",
            "target": "1",
        },
    ),
    Case(
        "mentoring_assign",
        none,
        {"olga": "go", "mia": "go", "rhea": "go", "others": 403},
        "post",
        label="alice for bob",
        query=lambda w: {"mentor": str(w.org.alice.pk), "mentee": str(w.org.bob.pk)},
    ),
    Case(
        "mentoring_assign",
        none,
        {"olga": "go", "rhea": "go", "mia": 404, "others": 403},
        "post",
        label="charlie for alice: charlie outside Mia's team",
        query=lambda w: {"mentor": str(w.org.charlie.pk), "mentee": str(w.org.alice.pk)},
    ),
    Case(
        "mentoring_end",
        none,
        {"olga": "go", "mia": "go", "rhea": "go", "others": 403},
        "post",
        label="charlie's mentoring of bob",
        query=lambda w: {"mentor": str(w.org.charlie.pk), "mentee": str(w.org.bob.pk)},
    ),
    Case(
        "mentoring_end",
        none,
        {"olga": "go", "rhea": "go", "mia": 404, "others": 403},
        "post",
        label="a mentee outside Mia's team",
        query=lambda w: {"mentor": str(w.org.bob.pk), "mentee": str(w.org.charlie.pk)},
    ),
    # Scorecards (M3): the person, their managers and admins; a mentor does not see them.
    Case(
        "person_scorecard",
        lambda w: [w.org.alice.pk],
        {"charlie": 404, "others": 200},
        label="alice: her own, her managers'",
    ),
    Case(
        "person_scorecard",
        lambda w: [w.org.bob.pk],
        {"alice": 404, "charlie": 404, "others": 200},
        label="bob: not for his mentor",
    ),
    Case(
        "person_scorecard",
        lambda w: [w.org.charlie.pk],
        {"mia": 404, "alice": 404, "others": 200},
        label="charlie: outside Mia's team",
    ),
    Case(
        "person_scorecard",
        lambda w: [w.org.alice.pk],
        {"charlie": 404, "others": 200},
        label="a past month",
        query=lambda w: {"period": "2026-01"},
    ),
    Case("person_scorecard", lambda w: [999999], {"others": 404}, label="nobody"),
    # Accepting a focus goal: managers and admins; the rep sees it but may not accept it.
    Case(
        "person_focus_accept",
        lambda w: [w.org.alice.pk],
        {"olga": "go", "mia": "go", "rhea": "go", "alice": 403, "charlie": 404},
        "post",
        label="alice's focus goal",
    ),
    Case(
        "person_focus_accept",
        lambda w: [w.org.charlie.pk],
        {"olga": "go", "rhea": "go", "mia": 404, "alice": 404, "charlie": 403},
        "post",
        label="charlie's: outside Mia's team",
    ),
    # Exports (CSV, XLSX): as their pages; TV links: managers of the unit; a TV link's screen
    # for anyone holding the link (web/tests/test_exports.py, test_tv.py go further).
    Case("unit_team_export", lambda w: [w.org.alpha.pk, "csv"], ALPHA_ONLY),
    Case(
        "unit_team_export",
        lambda w: [w.org.beta.pk, "xlsx"],
        {"olga": 200, "rhea": 200, "others": 404},
        label="beta, outside Mia's team",
    ),
    Case("scorecard_export", lambda w: [w.org.alice.pk, "csv"], {"charlie": 404, "others": 200}),
    Case(
        "scorecard_export",
        lambda w: [w.org.charlie.pk, "xlsx"],
        {"mia": 404, "alice": 404, "others": 200},
        label="charlie: outside Mia's team",
    ),
    Case("unit_competition_export", lambda w: [w.org.alpha.pk, "csv"], TEAM_ALPHA),
    Case("unit_competition_export", lambda w: [w.org.beta.pk, "xlsx"], TEAM_BETA, label="beta"),
    Case("org_export", lambda w: ["csv"], MANAGERS_ONLY),
    Case("org_unit_export", lambda w: [w.org.alpha.pk, "xlsx"], MANAGERS_ONLY),
    Case(
        "org_unit_export",
        lambda w: [w.org.beta.pk, "csv"],
        {"olga": 200, "rhea": 200, "mia": 404, "others": 403},
        label="beta",
    ),
    Case("unit_tv", lambda w: [w.org.alpha.pk], {**MANAGERS_ONLY}),
    Case(
        "unit_tv",
        lambda w: [w.org.beta.pk],
        {"olga": 200, "rhea": 200, "mia": 404, "others": 403},
        label="beta",
    ),
    Case(
        "unit_tv",
        lambda w: [w.org.alpha.pk],
        {"olga": "go", "mia": "go", "rhea": "go", "others": 403},
        "post",
        label="a link to alpha's collective goal",
        query=lambda w: {"action": "create", "goal": str(w.alpha_meetings.pk)},
    ),
    Case(
        "tv_board",
        lambda w: [tv_link_create(goal=w.alpha_meetings, by=None)[1]],
        {"anonymous": 200, "others": 200},
    ),
    # Notifications: everyone their own; another's notice is not found (issue 15).
    Case("notifications", none, {"others": 200}),
    Case("notification_settings", none, {"others": 200}),
    Case("notification_settings", none, {"others": "go"}, "post", label="save the choices"),
    Case("notifications_read_all", none, {"others": "go"}, "post"),
    Case("notification_read", alice_notice, {"alice": "go", "others": 404}, "post"),
    Case("notification_read", alice_notice, {"anonymous": 405, "others": 405}, label="GET"),
    # Everyone makes and revokes their own API tokens (issue 16).
    Case("api_tokens", none, {"others": 200}),
    # CRM sync and webhooks: admins only (issue 16).
    Case("sync", none, ADMIN_ONLY),
    Case("sync_now", lambda w: ["hubspot"], {"olga": "go", "others": 403}, "post"),
    Case("webhooks", none, ADMIN_ONLY),
    Case("webhook_enabled", an_endpoint, {"olga": "go", "others": 403}, "post"),
]


def _names(patterns: list, prefix: str = "") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in NOT_OURS:
                continue
            names |= _names(p.url_patterns, prefix)
        elif isinstance(p, URLPattern) and p.name and p.name not in NOT_OURS:
            names.add(p.name)
    return names


def _outcome(response: Any) -> int | str:
    if response.status_code == 302:
        return "login" if response["Location"].startswith(reverse("login")) else "go"
    return response.status_code


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}-{c.name}-{c.label}")
def test_every_url_allows_or_refuses_each_visitor(client, web_org, case, visitor):
    if visitor != "anonymous":
        assert client.login(username=visitor, password=PASSWORD)
    url = reverse(case.name, args=case.args(web_org))
    data = case.query(web_org) if case.query else case.data
    response = getattr(client, case.method)(url, data or {})
    assert _outcome(response) == case.expected(visitor), f"{visitor} {case.method} {url}"


def test_the_table_covers_every_url_of_the_app():
    assert _names(get_resolver().url_patterns) == {c.name for c in CASES}


def test_a_refused_edit_changes_nothing(client, web_org):
    client.login(username="mia", password=PASSWORD)
    client.post(reverse("goal_detail", args=[web_org.charlie_demos.pk]), EDIT)
    web_org.charlie_demos.refresh_from_db()
    assert web_org.charlie_demos.target == 30
    assert not web_org.charlie_demos.history.filter(reason="test").exists()


def test_only_an_admin_activates_a_plan(client, web_org):
    client.login(username="rhea", password=PASSWORD)
    client.post(reverse("plan_activate", args=[web_org.plan.pk]))
    assert Plan.objects.get(pk=web_org.plan.pk).status == Plan.Status.DRAFT
