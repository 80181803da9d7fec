"""The demo org is realistic (seasonality, skill, people changes) and deterministic per seed."""

import datetime as dt
import hashlib
import statistics
import tracemalloc
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth

from pacesetter.demo.generator import build_demo, clear_org
from pacesetter.demo.history import SEASONALITY
from pacesetter.demo.options import DemoOptions
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry
from pacesetter.org.models import Holiday, Membership, Person, Role, Unit

AS_OF = dt.date(2026, 1, 1)  # a whole calendar year of history: 2025


def fingerprint() -> str:
    """A digest of every generated row, independent of database ids."""
    digest = hashlib.sha256()
    emails = dict(Person.objects.values_list("id", "email"))
    accounts = dict(Account.objects.values_list("id", "external_id"))
    for row in Activity.objects.order_by("external_id").values_list(
        "external_id", "kind", "person_id", "occurred_at", "account_id"
    ):
        digest.update(repr((row[0], row[1], emails[row[2]], row[3], accounts.get(row[4]))).encode())
    for row in Deal.objects.order_by("external_id").values_list(
        "external_id", "owner_id", "amount", "status", "created_on", "closed_on"
    ):
        digest.update(repr((row[0], emails[row[1]], *row[2:])).encode())
    for row in Account.objects.order_by("external_id").values_list(
        "external_id", "segment", "acquired_on", "churned_on"
    ):
        digest.update(repr(row).encode())
    digest.update(repr(sorted(emails.values())).encode())
    return digest.hexdigest()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_org_row_for_row():
    options = DemoOptions(reps=8, months=3, seed=11, as_of=AS_OF)
    first = build_demo(options)
    first_print = fingerprint()
    clear_org()
    second = build_demo(options)

    assert fingerprint() == first_print
    assert (first.activities, first.deals, first.accounts) == (
        second.activities,
        second.deals,
        second.accounts,
    )
    clear_org()
    build_demo(DemoOptions(reps=8, months=3, seed=12, as_of=AS_OF))
    assert fingerprint() != first_print


@pytest.fixture
def year_of_demo(db):
    return build_demo(DemoOptions(reps=24, months=12, seed=3, as_of=AS_OF))


def test_the_default_shape_has_regions_teams_managers_and_reps(year_of_demo):
    assert Unit.objects.filter(kind="company").count() == 1
    assert Unit.objects.filter(kind="region").count() == 3
    assert Unit.objects.filter(kind="team").count() == round(24 / 7.5)
    assert Role.objects.filter(kind="rep").count() == 24
    assert Role.objects.filter(kind="manager").count() == 1 + 3 + round(24 / 7.5)
    assert Role.objects.filter(kind="admin", person__user__username="admin").exists()
    assert Person.objects.filter(user__username="manager", roles__kind="manager").exists()
    assert Holiday.objects.filter(date=dt.date(2025, 12, 25)).exists()


def test_activity_follows_the_seasonality(year_of_demo):
    holidays = set(Holiday.objects.values_list("date", flat=True))
    per_month = defaultdict(int)
    rows = (
        Activity.objects.filter(kind="demo")
        .annotate(month=TruncMonth("occurred_at", tzinfo=dt.UTC))
        .values("month")
        .annotate(n=Count("id"))
    )
    for row in rows:
        per_month[row["month"].month] += row["n"]

    def working_days(month: int) -> int:
        day, n = dt.date(2025, month, 1), 0
        while day.month == month:
            n += day.weekday() < 5 and day not in holidays
            day += dt.timedelta(days=1)
        return n

    rate = {m: per_month[m] / working_days(m) for m in range(1, 13)}
    # The year-end push is far above the summer dip (weights 1.30 vs 0.75) …
    assert rate[12] > 1.4 * rate[8]
    # … and the whole year tracks the weights closely.
    assert statistics.correlation([rate[m] for m in range(1, 13)], list(SEASONALITY.values())) > 0.8


def test_reps_differ_in_skill(year_of_demo):
    per_rep = (
        Deal.objects.exclude(status="open")
        .values("owner")
        .annotate(
            won=Count("id", filter=Q(status="won")),
            closed=Count("id"),
            revenue=Sum("amount", filter=Q(status="won")),
        )
        .filter(closed__gte=20)
    )
    win_rates = [r["won"] / r["closed"] for r in per_rep]
    deal_sizes = [r["revenue"] / r["won"] for r in per_rep if r["won"]]
    assert len(win_rates) >= 15
    assert max(win_rates) > 1.5 * min(win_rates)
    assert max(deal_sizes) > Decimal("1.5") * min(deal_sizes)


def test_new_hires_ramp_a_leaver_stops_and_a_mover_keeps_history(year_of_demo):
    new_hires = Person.objects.filter(roles__kind="rep", hire_date__gte=dt.date(2025, 11, 1))
    assert new_hires.count() == 2
    for person in new_hires:
        first = Activity.objects.filter(person=person).order_by("occurred_at").first()
        assert first.occurred_at.date() >= person.hire_date
    ramping, veteran = (
        Activity.objects.filter(
            person=p, occurred_at__gte=dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
        ).count()
        for p in (new_hires.order_by("hire_date").first(), Person.objects.get(user__username="rep"))
    )
    assert ramping < veteran

    leaver = Person.objects.get(leave_date__isnull=False)
    last = Activity.objects.filter(person=leaver).aggregate(last=Max("occurred_at"))["last"]
    assert last.date() <= leaver.leave_date
    assert Membership.objects.get(person=leaver).valid_to == leaver.leave_date + dt.timedelta(1)

    movers = Person.objects.annotate(n=Count("memberships")).filter(n=2)
    assert movers.count() == 1
    first, second = Membership.objects.filter(person=movers.get()).order_by("valid_from")
    assert first.valid_to == second.valid_from and first.unit != second.unit


def test_accounts_are_enterprise_and_smb_and_customers_come_and_go(year_of_demo):
    segments = set(Account.objects.values_list("segment", flat=True))
    assert {"enterprise", "smb", "mid_market"} <= segments
    assert Account.objects.filter(acquired_on__year=2025).count() > 50
    assert Account.objects.filter(churned_on__year=2025).count() > 5
    enterprise = Deal.objects.filter(segment="enterprise", status="won").aggregate(s=Sum("amount"))
    assert enterprise["s"] > 0
    assert ManualEntry.objects.filter(metric="pd_events").count() > 100


def _peak_bytes(options: DemoOptions) -> tuple[int, int]:
    clear_org()
    tracemalloc.start()
    try:
        result = build_demo(options)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result.activities


@pytest.mark.django_db
def test_generation_streams_so_memory_stays_flat_as_history_grows():
    """Twelve times the history costs next to nothing more: rows go to the database in
    batches, and only one rep's months are held at a time. Holding the rows would cost a few
    hundred bytes each (a tuple of seven fields, a datetime and an external id); the peak may
    grow by at most 25 bytes per extra row, which one rep's longer account book and monthly
    rollups fit in, on both databases, whatever ran before."""
    options = {"reps": 6, "seed": 5, "as_of": AS_OF, "batch_size": 500}
    _peak_bytes(DemoOptions(months=2, **options))  # a first build fills Django's caches
    small_peak, small_rows = _peak_bytes(DemoOptions(months=2, **options))
    large_peak, large_rows = _peak_bytes(DemoOptions(months=24, **options))
    assert large_rows > 8 * small_rows
    grown = large_peak - small_peak
    assert grown < 25 * (large_rows - small_rows), (small_peak, large_peak, large_rows)


@pytest.mark.django_db
def test_the_command_refuses_to_mix_orgs_and_can_start_over(capsys):
    call_command("demo", reps=4, months=1, as_of=AS_OF)
    out = capsys.readouterr().out
    assert "admin" in out and "manager" in out and "rep" in out and "pacesetter" in out
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo", reps=4, months=1, as_of=AS_OF)
    call_command("demo", reps=4, months=1, as_of=AS_OF, if_empty=True)
    assert "already loaded" in capsys.readouterr().out
    call_command("demo", reps=5, months=1, as_of=AS_OF, replace=True)
    assert Role.objects.filter(kind="rep").count() == 5


EXAMPLE_METRICS = {
    "revenue_won": "G1",
    "demos_held": "G2",
    "close_rate": "G3",
    "new_customer_coverage": "G4",
    "articles_shared": "G5",
    "retention_rate": "G6",
    "lead_to_customer_days": "G7",
    "pd_events": "G8",
    "meetings_booked": "G9",
    "enterprise_demos": "G10",
}


@pytest.mark.django_db
def test_every_example_goal_is_live_on_the_demo():
    from pacesetter.goals.models import Goal
    from pacesetter.tracking.progress import goal_progress
    from pacesetter.tracking.selectors import goals_overlapping

    today = dt.date(2026, 11, 20)
    build_demo(DemoOptions(reps=12, months=14, seed=7, as_of=today))
    goals = list(goals_overlapping(dt.date(2026, 11, 1), dt.date(2026, 12, 1)))
    results = goal_progress(goals, today)

    measured = {r.metric.name for r in results if r.actual is not None}
    assert set(EXAMPLE_METRICS) <= measured
    assert Goal.objects.filter(kind="waterfall", metric="emails_sent").count() == 4  # M2
    assert Goal.objects.filter(kind="competition", unit__kind="team").exists()  # G9
    assert {r.status for r in results} >= {"on_track", "behind"}
