"""The Django admin manages every model, and only staff may enter it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from pacesetter.coaching.models import CheckIn, GoalAgreement, MentoringCheckIn, Mentorship
from pacesetter.conftest import PASSWORD
from pacesetter.goals.models import CollectiveExclusion, Goal, PeriodReopening, PlannedHire
from pacesetter.goals.services import (
    CascadeOptions,
    goal_set_target,
    plan_activate,
    plan_create_cascade,
)
from pacesetter.ledger.models import (
    Account,
    AccountMonth,
    Activity,
    ActivityMonth,
    Deal,
    DealMonth,
    ImportSlot,
    ImportStep,
    ManualEntry,
)
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import CrmIdentity, Holiday, OrgSettings

OUR_APPS = ("org", "ledger", "goals", "metrics", "coaching")


def our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]


def test_every_model_of_ours_is_registered():
    missing = [m.__name__ for m in our_models() if not admin.site.is_registered(m)]
    assert missing == []


@pytest.fixture
def one_of_each(small_org):
    OrgSettings.load()
    Holiday.objects.create(date=dt.date(2026, 12, 25), name="Christmas Day")
    CrmIdentity.objects.create(person=small_org.alice, source="hubspot", crm_id="88204511")
    account = Account.objects.create(source="t", external_id="a1", name="Acme", segment="smb")
    Activity.objects.create(
        source="t",
        external_id="x1",
        kind="call",
        person=small_org.alice,
        account=account,
        occurred_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
    )
    Deal.objects.create(
        source="t",
        external_id="d1",
        owner=small_org.alice,
        account=account,
        amount=Decimal("1200.50"),
        stage="Proposal",
        created_on=dt.date(2026, 3, 2),
    )
    ManualEntry.objects.create(
        source="t",
        external_id="m1",
        person=small_org.alice,
        metric="pd_events",
        first_day=dt.date(2026, 3, 2),
        value=1,
    )
    PlannedHire.objects.create(team=small_org.beta, start_month=dt.date(2027, 9, 1))
    plan = plan_create_cascade(
        name="FY27",
        year=2027,
        annual_target=Decimal("1200000"),
        options=CascadeOptions(seasonality="flat"),
    )
    plan_activate(plan=plan)
    goal = Goal.objects.filter(person=small_org.alice).first()
    goal_set_target(goal=goal, target=Decimal("1"), by=small_org.admin.user, reason="test")
    CheckIn.objects.create(
        person=small_org.alice, goal=goal, realistic=3, challenging=4, achievable=3
    )
    o, march = small_org, dt.date(2026, 3, 2)
    Mentorship.objects.create(mentor=o.charlie, mentee=o.bob, started_on=march, focus="calls")
    MentoringCheckIn.objects.create(mentor=o.charlie, mentee=o.bob, met_on=march, notes="hi")
    GoalAgreement.objects.create(goal=goal, mentor=o.charlie, agreed_on=march)
    PeriodReopening.objects.create(
        period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 4, 1), reason="late deal"
    )
    CollectiveExclusion.objects.create(
        unit=small_org.alpha,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 4, 1),
        person=small_org.bob,
        reason="on leave",
    )
    rebuild()  # rollups of the activity above
    DealMonth.objects.create(
        person=small_org.alice, month=dt.date(2026, 3, 1), status="won", count=1, amount=5
    )
    now = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    slot = ImportSlot.objects.create(kind="activities", source="csv", host="h", pid=1,
                                     started_at=now, heartbeat_at=now, stamp=now)  # fmt: skip
    ImportStep.objects.create(slot=slot, number=1, inserted='["x2"]')
    return small_org


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m.__name__)
def test_admin_list_add_and_change_pages_load(client, one_of_each, model):
    client.login(username="olga", password=PASSWORD)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    # Rollups can be looked at, not added; re-opened periods are added by goals.periods.
    # An import's journal is written by the import only.
    derived = model in (
        ActivityMonth, DealMonth, AccountMonth, PeriodReopening, ImportSlot, ImportStep
    )  # fmt: skip
    assert client.get(reverse(f"{prefix}_add")).status_code == (403 if derived else 200)
    obj = model.objects.first()
    assert obj is not None, f"fixture has no {model.__name__}"
    assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200


def test_admin_search_and_filters_run(client, one_of_each):
    client.login(username="olga", password=PASSWORD)
    url = reverse("admin:ledger_activity_changelist")
    assert client.get(url, {"q": "Alice", "kind__exact": "call"}).status_code == 200
    assert client.get(reverse("admin:org_person_changelist"), {"q": "bob"}).status_code == 200


@pytest.mark.parametrize("username", ["alice", "mia"])
def test_reps_and_managers_are_kept_out_of_the_admin(client, small_org, username):
    client.login(username=username, password=PASSWORD)
    response = client.get(reverse("admin:ledger_deal_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
