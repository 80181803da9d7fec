"""Repairs: `pacesetter rollups check|rebuild`, and a change of the org's time zone, which
moves activities between months, recounts the monthly rollups."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.jobs.models import Job
from pacesetter.ledger.models import AccountMonth, Activity, ActivityMonth
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import OrgSettings, Person

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


def test_changing_the_orgs_time_zone_moves_activities_to_their_new_months(
    client, a_call, django_capture_on_commit_callbacks
):
    """The recount is a task, queued once the new zone is saved (the immediate backend of
    the tests runs it then); the admin's page answers at once."""
    assert list(ActivityMonth.objects.values_list("month", flat=True)) == [NOV]  # UTC
    org = OrgSettings.load()
    client.login(username="olga", password=PASSWORD)
    form = {k: v for k, v in model_to_dict(org).items() if v is not None}
    form["time_zone"] = "America/New_York"
    url = reverse("admin:org_orgsettings_change", args=[org.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, form, follow=True)
    assert page.status_code == 200
    assert "being recounted in the new time zone" in page.content.decode()
    assert OrgSettings.load().time_zone == "America/New_York"
    job = Job.objects.get()
    assert (job.kind, job.status, job.requested_by.username) == ("rollups", "done", "olga")
    assert list(ActivityMonth.objects.values_list("month", flat=True)) == [OCT]
    assert not AccountMonth.objects.exists()  # a call without a customer touches nobody


def test_the_recount_after_a_time_zone_change_goes_in_short_steps(small_org, monkeypatch):
    """Each step recounts a few people in its own transaction (other writers wait for a
    step, not for the whole recount), and together they recount everyone."""
    from pacesetter.ledger import rollups

    for i, person in enumerate((small_org.alice, small_org.alice, small_org.bob)):
        Activity.objects.create(
            source="t", external_id=f"c{i}", kind="call", person=person,
            occurred_at=LATE_ON_HALLOWEEN,
        )  # fmt: skip
    ActivityMonth.objects.all().delete()  # out of step with the ledger
    steps = []
    real = rollups.rebuild

    def step(people=None):
        steps.append(list(people))
        real(people)

    monkeypatch.setattr(rollups, "rebuild", step)
    rollups.rebuild_in_steps(rows_per_step=2)
    alice, bob = small_org.alice.pk, small_org.bob.pk
    assert len(steps) == 2 and not any(alice in s and bob in s for s in steps)  # 2 + 1 rows
    everyone = sorted(Person.objects.values_list("pk", flat=True))
    assert sorted(p for s in steps for p in s) == everyone
    monkeypatch.setattr(rollups, "rebuild", real)
    assert set(rollups.differences().values()) == {0}
