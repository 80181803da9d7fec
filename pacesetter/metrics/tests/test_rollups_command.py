"""Repairs: `pacesetter rollups check|rebuild`, and a change of the org's time zone, which
moves activities between months, recounts the monthly rollups."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.ledger.models import AccountMonth, Activity, ActivityMonth
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import OrgSettings

# 02:00 UTC on 1 November is still 31 October in New York.
LATE_ON_HALLOWEEN = dt.datetime(2026, 11, 1, 2, tzinfo=dt.UTC)
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def rollups(command: str, *args: str) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("rollups", command, *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return out.getvalue(), exit.code
    return out.getvalue(), 0


@pytest.fixture
def a_call(small_org):
    call = Activity.objects.create(
        source="t", external_id="c1", kind="call", person=small_org.alice,
        occurred_at=LATE_ON_HALLOWEEN,
    )  # fmt: skip
    rebuild()
    return call


def test_check_finds_rollups_the_ledger_disagrees_with_and_rebuild_repairs_them(a_call):
    assert rollups("check") == (
        "activities: matches the ledger\ndeals: matches the ledger\ntouches: matches the ledger\n",
        0,
    )
    ActivityMonth.objects.update(count=5)  # changed behind the importers' back
    out, status = rollups("check")
    assert (status, out.splitlines()[0]) == (1, "activities: 1 row differs")
    assert ActivityMonth.objects.get().count == 5  # checking changed nothing
    out, status = rollups("rebuild", "--person", "alice@example.com")
    assert (status, out.startswith("Rollups recounted from the ledger for 1 person")) == (0, True)
    assert ActivityMonth.objects.get().count == 1
    assert rollups("check")[1] == 0


def test_changing_the_orgs_time_zone_moves_activities_to_their_new_months(client, a_call):
    assert list(ActivityMonth.objects.values_list("month", flat=True)) == [NOV]  # UTC
    org = OrgSettings.load()
    client.login(username="olga", password=PASSWORD)
    form = {k: v for k, v in model_to_dict(org).items() if v is not None}
    form["time_zone"] = "America/New_York"
    page = client.post(reverse("admin:org_orgsettings_change", args=[org.pk]), form, follow=True)
    assert page.status_code == 200
    assert "Monthly totals recounted in the new time zone" in page.content.decode()
    assert OrgSettings.load().time_zone == "America/New_York"
    assert list(ActivityMonth.objects.values_list("month", flat=True)) == [OCT]
    assert not AccountMonth.objects.exists()  # a call without a customer touches nobody
