"""Goals on the web are never overwritten silently, never lost, never changed once their
period has ended; plans are activated after a preview; closed periods are re-opened by an
admin with a reason.

The suite's today is 18 November 2026 (pacesetter/conftest.py); the ``web_org`` goals run
from 29 October to 28 November.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from pacesetter import planning
from pacesetter.conftest import PASSWORD
from pacesetter.goals.models import Goal, GoalChange, PeriodReopening, Plan
from pacesetter.goals.services import (
    CascadeOptions,
    plan_activate,
    plan_activation_preview,
    plan_create_cascade,
)
from pacesetter.goals.setting import GoalSpec, goal_create

AUGUST = planning.month_period(2026, 8)


def logged_in(username: str, **headers) -> Client:
    client = Client(**headers)
    assert client.login(username=username, password=PASSWORD)
    return client


def edit(goal: Goal, target: str, version: int, reason: str = "why") -> dict:
    return {"target": target, "priority": str(goal.priority), "reason": reason,
            "version": str(version)}  # fmt: skip


def august_goal(person, target: str = "40") -> Goal:
    spec = GoalSpec("calls_made", "standard", AUGUST, Decimal(target), 3)
    return goal_create(spec=spec, person=person)[0]


# --- no silent overwrite ---------------------------------------------------------------------


def _new_goal(web_org, **fields) -> dict:
    return {
        "assign_to": "person",
        "person": web_org.org.bob.pk,
        "metric": "calls_made",
        "kind": "standard",
        "period_kind": "month",
        "period": planning.month_of(web_org.today).label,
        "target": "400",
        "priority": "4",
        **fields,
    }


def test_setting_a_goal_that_exists_offers_to_change_it_instead(web_org):
    client = logged_in("mia")
    first = client.post(reverse("goal_new"), _new_goal(web_org), follow=True)
    assert "The goal is set." in first.content.decode()
    goal = Goal.objects.get(metric="calls_made")

    again = client.post(reverse("goal_new"), _new_goal(web_org, target="500"))

    page = again.content.decode()
    assert again.status_code == 200 and "Bob Brown already has a goal" in page
    assert "Nothing was overwritten" in page
    change = reverse("goal_detail", args=[goal.pk]) + "?target=500&amp;priority=4#edit-target"
    assert change in page
    goal.refresh_from_db()
    assert (goal.target, goal.version, goal.history.count()) == (Decimal("400.00"), 1, 1)
    # The offered page has the new target filled in; saving it needs a reason, kept.
    offered = client.get(reverse("goal_detail", args=[goal.pk]), {"target": "500", "priority": "4"})
    assert offered.context["form"].initial["target"] == Decimal("500")
    saved = client.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "500", 1), follow=True)
    assert "The target is changed" in saved.content.decode()
    assert goal.history.order_by("-id").first().reason == "why"


def test_a_team_goal_says_who_had_it_already(web_org):
    client = logged_in("mia")
    client.post(reverse("goal_new"), _new_goal(web_org))  # Bob's
    team = _new_goal(web_org, assign_to="team", unit=web_org.org.alpha.pk, target="300")

    page = client.post(reverse("goal_new"), team, follow=True).content.decode()

    assert "1 goals set, one for each rep." in page
    assert "Bob Brown had this goal already" in page
    assert Goal.objects.get(metric="calls_made", person=web_org.org.alice).target == 300
    bob = Goal.objects.get(metric="calls_made", person=web_org.org.bob)
    assert bob.target == Decimal("400.00")


# --- no lost update --------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_shows_what_changed_meanwhile(web_org):
    goal = web_org.alpha_meetings
    mia, rhea = logged_in("mia"), logged_in("rhea")
    form = rhea.get(reverse("goal_detail", args=[goal.pk])).context["form"]
    assert form.initial["version"] == 1
    mia.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "45", 1, "bigger team"))

    refused = rhea.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "50", 1, "mine"))

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone changed this goal while you were editing it" in page
    assert "mia: 40 → 45 (bigger team)" in page
    assert refused.context["form"]["version"].value() == "2"  # saving again applies on top
    goal.refresh_from_db()
    assert (goal.target, goal.version) == (Decimal("45.00"), 2)
    rhea.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "50", 2, "mine, seen yours"))
    assert list(goal.history.values_list("old_target", "new_target"))[-2:] == [
        (Decimal("40.00"), Decimal("45.00")),
        (Decimal("45.00"), Decimal("50.00")),
    ]


def test_the_stale_message_is_in_chinese_for_a_chinese_reader(web_org):
    goal = web_org.alpha_meetings
    logged_in("mia").post(reverse("goal_detail", args=[goal.pk]), edit(goal, "45", 1))
    rhea = logged_in("rhea", HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = rhea.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "50", 1)).content.decode()

    assert "Someone changed" not in page and "45" in page


def _race(goal: Goal, posts: dict[str, str], clients: dict[str, Client]) -> dict[str, int]:
    """Each client posts its target at the same moment, based on the version it loaded."""
    version = Goal.objects.get(pk=goal.pk).version
    url = reverse("goal_detail", args=[goal.pk])
    barrier = threading.Barrier(len(posts))
    codes: dict[str, int] = {}

    def post(name: str, target: str) -> None:
        try:
            barrier.wait(timeout=10)
            codes[name] = clients[name].post(url, edit(goal, target, version)).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=item) for item in posts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return codes


# Committed rows, as two requests see them. Not serialized_rollback: the browser tests
# before it flush the database without it (their content types would clash).
@pytest.mark.django_db(transaction=True)
def test_two_managers_posting_at_the_same_moment(web_org):
    """Both loaded the page at the same version and press save together: one change is
    kept, the other is told; the history never records the same old target twice."""
    goal = web_org.alpha_meetings
    clients = {"mia": logged_in("mia"), "rhea": logged_in("rhea")}
    for n in range(10):
        codes = _race(goal, {"mia": str(100 + 2 * n), "rhea": str(101 + 2 * n)}, clients)
        assert sorted(codes.values()) == [200, 302], f"round {n}: {codes}"
    olds = list(GoalChange.objects.filter(goal=goal).values_list("old_target", flat=True))
    assert len(olds) == len(set(olds)) == 11


# --- closed periods --------------------------------------------------------------------------


def test_an_ended_goal_shows_no_form_and_a_post_is_refused(web_org):
    goal = august_goal(web_org.org.bob)
    client = logged_in("mia")

    page = client.get(reverse("goal_detail", args=[goal.pk]))

    assert page.context["form"] is None and page.context["frozen"]
    assert "its target is frozen" in page.content.decode()
    refused = client.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "99", 1), follow=True)
    assert "2026-08 has ended" in refused.content.decode()
    goal.refresh_from_db()
    assert goal.target == Decimal("40.00")


def test_an_admin_reopens_a_month_then_closes_it(web_org):
    goal = august_goal(web_org.org.bob)
    admin = logged_in("olga")
    assert logged_in("mia").post(reverse("periods"), {"period": "2026-08"}).status_code == 403

    missing = admin.post(reverse("periods"), {"period": "2026-08", "reason": ""})
    assert missing.status_code == 200 and not PeriodReopening.objects.exists()
    opened = admin.post(reverse("periods"), {"period": "2026-08", "reason": "late deal"})
    assert opened.status_code == 302
    reopening = PeriodReopening.objects.get()
    assert (reopening.reason, reopening.reopened_by.username) == ("late deal", "olga")
    admin.post(reverse("goal_detail", args=[goal.pk]), edit(goal, "45", 1))
    goal.refresh_from_db()
    assert goal.target == Decimal("45.00")

    assert logged_in("rhea").post(reverse("period_close", args=[reopening.pk])).status_code == 403
    admin.post(reverse("period_close", args=[reopening.pk]))
    assert PeriodReopening.objects.get().closed_at is not None
    assert logged_in("mia").get(reverse("goal_detail", args=[goal.pk])).context["frozen"]


def test_a_period_not_ended_cannot_be_reopened(web_org):
    page = logged_in("olga").post(reverse("periods"), {"period": "2026-12", "reason": "x"})
    assert "2026-12 has not ended" in page.content.decode()


def test_a_manager_edits_only_within_their_subtree(web_org):
    """Mia manages Team Alpha: Charlie's goal (Team Beta) is not hers to see or change."""
    goal = web_org.charlie_demos
    response = logged_in("mia").post(reverse("goal_detail", args=[goal.pk]), edit(goal, "1", 1))
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.target == 30 and goal.version == 1


# --- activating a plan -----------------------------------------------------------------------


def plan_2026(annual: int, name: str = "FY26") -> Plan:
    return plan_create_cascade(
        name=name,
        year=2026,
        annual_target=Decimal(annual),
        options=CascadeOptions(seasonality="flat"),
        as_of=dt.date(2025, 12, 1),
    )


def test_activation_is_previewed_then_confirmed_and_keeps_closed_months(web_org):
    plan_activate(plan=plan_2026(1200000))
    bigger = plan_2026(1320000)
    admin = logged_in("olga")

    preview = admin.get(reverse("plan_activate", args=[bigger.pk]))

    page = preview.content.decode()
    assert 'id="activation-preview"' in page and 'id="confirm-activation"' in page
    totals = preview.context["totals"]
    assert (totals["changed"], totals["kept_closed"]) == (14, 70)
    assert Plan.objects.get(pk=bigger.pk).status == Plan.Status.DRAFT
    fingerprint = preview.context["preview"].fingerprint
    done = admin.post(reverse("plan_activate", args=[bigger.pk]), {"fingerprint": fingerprint},
                      follow=True)  # fmt: skip
    assert "70 goals of closed months were kept as they are." in done.content.decode()
    assert Plan.objects.get(pk=bigger.pk).status == Plan.Status.ACTIVE
    august = Goal.objects.get(person=web_org.org.alice, period_start=AUGUST.start,
                              metric="revenue_won")  # fmt: skip
    assert august.history.count() == 1


def test_a_confirmation_of_an_outdated_preview_is_refused(web_org):
    plan = web_org.plan
    admin = logged_in("olga")
    stale = plan_activation_preview(plan=plan).fingerprint
    plan_activate(plan=plan)  # someone activated it meanwhile: the goals exist now
    again = plan_create_cascade(
        name="FY-test", year=plan.fiscal_year, annual_target=Decimal(1500000),
        options=CascadeOptions(seasonality="flat"),
    )  # fmt: skip

    response = admin.post(reverse("plan_activate", args=[again.pk]), {"fingerprint": stale})

    assert response.status_code == 200
    assert "The goals changed since this preview was made" in response.content.decode()
    assert Plan.objects.get(pk=again.pk).status == Plan.Status.DRAFT


def test_the_compare_form_starts_with_two_different_plans(web_org):
    other = plan_create_cascade(
        name="FY-other", year=web_org.plan.fiscal_year, annual_target=Decimal(1000000),
        options=CascadeOptions(seasonality="flat"),
    )  # fmt: skip
    form = logged_in("olga").get(reverse("plan_list")).context["form"]
    assert {form.initial["a"], form.initial["b"]} == {web_org.plan.pk, other.pk}
