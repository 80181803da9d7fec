"""Awards for goals met: earned once, never twice, reversed with a reason when the data is
corrected downwards and earned again when it is corrected back up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from pacesetter.conftest import make_person
from pacesetter.goals.models import Goal
from pacesetter.ledger.importers import ImportOptions, run_import
from pacesetter.ledger.models import Activity
from pacesetter.ledger.rollups import rebuild
from pacesetter.org.models import Membership, Role
from pacesetter.rewards.evaluation import evaluate
from pacesetter.rewards.models import Award, AwardEntry, Program, Reward, Rule
from pacesetter.rewards.selectors import payout_report

from .conftest import DEC, NOV, TODAY, active_rule, compute, make_goal

EARNED, REVERSED = Award.Status.EARNED, Award.Status.REVERSED


def ledger() -> list[tuple]:
    """Every award and ledger line, without the timestamps."""
    awards = list(
        Award.objects.order_by("pk").values_list(
            "rule_id", "person_id", "goal_id", "value", "status", "funded", "reason"
        )
    )
    entries = list(
        AwardEntry.objects.order_by("award_id", "seq").values_list(
            "award_id", "seq", "kind", "amount", "funded"
        )
    )
    return awards + entries


def entries_of(award: Award) -> list[tuple[str, Decimal]]:
    return [(e.kind, e.amount) for e in award.entries.order_by("seq")]


def test_a_goal_met_pays_once_and_a_goal_missed_pays_nothing(
    small_org, books, revenue_goals, revenue_rule
):
    o = small_org
    books.won(o.alice, "12000")
    books.won(o.bob, "8000")
    books.won(o.charlie, "10000")  # exactly the target: met

    result = compute()

    assert (result.earned, result.unfunded, result.reversed) == (2, 0, 0)
    alice, charlie = Award.objects.order_by("person__full_name")
    assert (alice.person, alice.goal, alice.value, alice.status, alice.funded) == (
        o.alice,
        revenue_goals["alice"],
        Decimal("250.00"),
        EARNED,
        True,
    )
    assert alice.detail == "revenue_won 2026-11: $12,000.00 of $10,000.00 (120.0 %)"
    assert charlie.person == o.charlie
    assert entries_of(alice) == [("earned", Decimal("250.00"))]
    assert not Award.objects.filter(person=o.bob).exists()


def test_running_the_computation_again_pays_nothing_more(
    small_org, books, revenue_goals, revenue_rule
):
    books.won(small_org.alice, "12000")
    compute()
    before = ledger()

    again = compute()

    assert (again.earned, again.reversed, again.unchanged) == (0, 0, 1)
    assert ledger() == before


def test_the_database_refuses_a_second_award_for_the_same_rule_person_and_goal(
    small_org, books, revenue_goals, revenue_rule
):
    books.won(small_org.alice, "12000")
    compute()
    award = Award.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            rule=award.rule, person=award.person, goal=award.goal, period_start=NOV,
            value=award.value, status=EARNED, funded=True, detail="twice?",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardEntry.objects.create(award=award, seq=1, kind="earned", amount=250, funded=True)


def test_an_award_earned_mid_period_counts_once_the_sum_reaches_the_target(
    small_org, books, revenue_goals, revenue_rule
):
    """Revenue only grows (short of a correction): a cumulative goal is met when reached."""
    books.won(small_org.alice, "10500", closed=dt.date(2026, 11, 5))

    assert compute(today=dt.date(2026, 11, 16)).earned == 1


DEALS = ["external_id", "owner", "amount", "stage", "created", "closed", "account", "segment"]


def import_deals(tmp_path, *rows: list[str]) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("\n".join(",".join(r) for r in [DEALS, *rows]) + "\n", encoding="utf-8")
    report = run_import("deals", path, options=ImportOptions())
    assert report.committed, report


def alice_won(amount: str) -> list[str]:
    return ["crm-1", "alice@example.com", amount, "Closed Won", "2026-10-20", "2026-11-12", "", ""]


def test_reimporting_the_same_file_pays_nothing_more(
    small_org, books, revenue_goals, revenue_rule, tmp_path
):
    import_deals(tmp_path, alice_won("12000"))
    compute()
    before = ledger()

    import_deals(tmp_path, alice_won("12000"))
    compute()

    assert ledger() == before
    assert Award.objects.get().status == EARNED


def test_a_correction_downwards_reverses_the_award_with_its_reason_and_upwards_earns_it_again(
    small_org, books, revenue_goals, revenue_rule, tmp_path
):
    import_deals(tmp_path, alice_won("12000"))
    compute()

    # The CRM corrects the deal: it was $9,000.
    import_deals(tmp_path, alice_won("9000"))
    result = compute()

    award = Award.objects.get()
    assert (result.reversed, award.status) == (1, REVERSED)
    assert award.reason == "revenue_won 2026-11 not met: $9,000.00 of $10,000.00 (90.0 %), behind"
    assert entries_of(award) == [("earned", Decimal("250.00")), ("reversed", Decimal("-250.00"))]
    payout = payout_report(NOV, DEC).people[0]
    assert payout.cash == 0 and payout.reversed == 1
    assert payout.lines[-1].entry.note == award.reason

    # And back up: $11,000 after all. The same award is earned again — not a second one.
    import_deals(tmp_path, alice_won("11000"))
    assert compute().earned == 1

    award.refresh_from_db()
    assert (award.status, award.reason) == (EARNED, "")
    assert entries_of(award) == [
        ("earned", Decimal("250.00")),
        ("reversed", Decimal("-250.00")),
        ("earned", Decimal("250.00")),
    ]
    assert payout_report(NOV, DEC).people[0].cash == Decimal("250.00")
    assert Award.objects.count() == 1


def test_deleting_an_activity_reverses_a_weekly_award(small_org, books, program, bonus):
    """A week's demos goal: three demos earn it; the CRM deletes one, and the award goes."""
    week_start, week_end = dt.date(2026, 11, 2), dt.date(2026, 11, 9)
    make_goal("demos_held", 3, person=small_org.alice, start=week_start, end=week_end,
              period_kind="week")  # fmt: skip
    active_rule(program, bonus, "Weekly demos", metric="demos_held", period_kind="week")
    books.activities(small_org.alice, "demo", 3, dt.date(2026, 11, 4))
    assert compute().earned == 1

    Activity.objects.filter(person=small_org.alice).first().delete()
    rebuild()
    compute()

    award = Award.objects.get()
    assert award.status == REVERSED
    assert "not met: 2 of 3" in award.reason


def test_an_award_waits_for_the_top_priority_goals_of_the_same_period(
    small_org, books, revenue_goals, program, bonus
):
    """Demos are priority 2; revenue is priority 1 and must be met for the demos to pay."""
    o = small_org
    for rep in (o.alice, o.bob):
        make_goal("demos_held", 5, person=rep, priority=2)
        books.activities(rep, "demo", 5, dt.date(2026, 11, 18))
    books.won(o.alice, "12000")
    books.won(o.bob, "8000")
    rule = active_rule(program, bonus, "Demos, revenue first", metric="demos_held",
                       requires_top_priority=True)  # fmt: skip

    compute()

    assert list(Award.objects.values_list("person__full_name", flat=True)) == ["Alice Adams"]
    assert Award.objects.get().detail.endswith("· top-priority goals met")
    bob = next(v for v in evaluate([rule], Goal.objects.all(), TODAY) if v.person == o.bob)
    assert not bob.earned
    assert bob.detail == ("top-priority goal not met: revenue_won 2026-11 $8,000.00 of $10,000.00")

    books.won(o.bob, "2000")  # Bob's revenue arrives: now his demos pay too
    assert compute().earned == 1
    assert Award.objects.filter(person=o.bob, status=EARNED).exists()


def test_a_stretch_tier_met_earns_its_own_reward_and_the_goal_rule_ignores_tiers(
    small_org, books, revenue_goals, program, revenue_rule
):
    o = small_org
    day_off = Reward.objects.create(name="An extra day off", kind="day_off", value=300)
    active_rule(program, day_off, "Stretch met", trigger=Rule.Trigger.STRETCH_MET)
    for name, person in (("alice", o.alice), ("charlie", o.charlie)):
        make_goal("revenue_won", 12500, person=person, kind=Goal.Kind.STRETCH, priority=2,
                  tier_of=revenue_goals[name])  # fmt: skip
    books.won(o.alice, "12000")  # the goal, not the tier
    books.won(o.charlie, "13000")  # both

    compute()

    earned = sorted(Award.objects.values_list("person__full_name", "rule__reward__name"))
    assert earned == [
        ("Alice Adams", "$250 bonus"),
        ("Charlie Chen", "$250 bonus"),
        ("Charlie Chen", "An extra day off"),
    ]
    # The day off is not cash: it is budgeted at its value and listed by name.
    charlie = next(p for p in payout_report(NOV, DEC).people if p.person == o.charlie)
    assert (charlie.cash, charlie.non_cash, charlie.rewards) == (
        Decimal("250.00"),
        Decimal("300.00"),
        ["An extra day off"],
    )


def test_a_retired_rule_earns_nothing_new_and_keeps_its_awards(
    small_org, books, revenue_goals, revenue_rule
):
    books.won(small_org.alice, "12000")
    compute()
    revenue_rule.status = Rule.Status.RETIRED
    revenue_rule.save()
    books.won(small_org.charlie, "12000")

    compute()

    assert list(Award.objects.values_list("person__full_name", "status")) == [
        ("Alice Adams", EARNED)
    ]


def test_a_program_of_one_unit_pays_only_its_people(small_org, books, revenue_goals, bonus):
    alpha_only = Program.objects.create(
        name="Alpha push", unit=small_org.alpha, budget=1000, starts_on=dt.date(2026, 11, 1)
    )
    active_rule(alpha_only, bonus, metric="revenue_won")
    for rep in (small_org.alice, small_org.charlie):
        books.won(rep, "12000")

    compute()

    assert list(Award.objects.values_list("person__full_name", flat=True)) == ["Alice Adams"]


def _team_of(n: int, unit, books) -> None:
    for i in range(n):
        rep = make_person(f"{unit.name.split()[-1]}{i} Rep")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=unit, valid_from=dt.date(2025, 1, 1))
        make_goal("revenue_won", 1000, person=rep)
        make_goal("demos_held", 1, person=rep, priority=2)
        books.won(rep, "1500")
        books.activities(rep, "demo", 1, dt.date(2026, 11, 3))


def _queries_to_compute() -> int:
    Award.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        compute()
    return len(ctx.captured_queries)


def test_computing_costs_the_same_queries_for_five_reps_as_for_twenty(
    small_org, books, program, revenue_rule, bonus
):
    program.budget = 100000
    program.save()
    active_rule(program, bonus, "Demos, revenue first", metric="demos_held",
                requires_top_priority=True)  # fmt: skip
    _team_of(5, small_org.alpha, books)
    few = _queries_to_compute()
    assert Award.objects.count() == 10
    _team_of(15, small_org.beta, books)
    many = _queries_to_compute()
    assert Award.objects.count() == 40
    assert many == few
    assert few <= 18


def test_a_zero_target_earns_nothing(small_org, books, program, revenue_rule):
    """A new hire's first month (ramp 0 %) or a leaver's: met without selling anything."""
    make_goal("revenue_won", 0, person=small_org.alice)

    assert compute().earned == 0


def test_an_import_brings_the_awards_up_to_date_as_soon_as_it_commits(
    small_org, books, revenue_goals, revenue_rule, tmp_path, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """No cron needed: when an import commits, the awards of this month and the last one
    follow the data — earned once, reversed by a correction, never paid twice."""
    monkeypatch.setattr("pacesetter.rewards.receivers.today_in_org", lambda: TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        import_deals(tmp_path, alice_won("12000"))
    assert [(a.person, a.status) for a in Award.objects.all()] == [(small_org.alice, EARNED)]

    with django_capture_on_commit_callbacks(execute=True):
        import_deals(tmp_path, alice_won("12000"))  # the same file: nothing changes
    assert entries_of(Award.objects.get()) == [("earned", Decimal("250.00"))]

    with django_capture_on_commit_callbacks(execute=True):
        import_deals(tmp_path, alice_won("9000"))
    assert Award.objects.get().status == REVERSED


def test_a_dry_run_or_a_failed_import_computes_nothing(
    small_org, books, revenue_goals, revenue_rule, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "deals.csv"
    path.write_text(",".join(DEALS) + "\n" + ",".join(alice_won("-5")) + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert run_import("deals", path, options=ImportOptions()).failed
    assert callbacks == [] and not Award.objects.exists()


def test_payout_history_cannot_be_deleted_from_under_an_award(
    small_org, books, revenue_goals, revenue_rule
):
    """An award paid is a fact: deleting its goal, its rule or its person is refused (retire
    the rule or correct the goal instead), so the payout report never loses a line."""
    from django.db.models import ProtectedError

    books.won(small_org.alice, "12000")
    compute()
    award = Award.objects.get()
    for row in (award.goal, award.rule, award.person):
        with pytest.raises(ProtectedError):
            row.delete()
    assert Award.objects.filter(pk=award.pk).exists()


def test_the_awards_follow_a_ledger_change_as_a_task_queued_once(
    small_org, books, revenue_goals, revenue_rule, settings, django_capture_on_commit_callbacks
):
    """A ledger change queues the recompute of its months (the worker runs it); more changes
    to the same months while it waits do not queue it again."""
    from pacesetter.jobs.models import Job
    from pacesetter.ledger.signals import ledger_changed_on_commit

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    november = [dt.date(2026, 11, 12)]
    with django_capture_on_commit_callbacks(execute=True):
        ledger_changed_on_commit(sender=None, months=november)
        ledger_changed_on_commit(sender=None, months=november)
    job = Job.objects.get()
    assert (job.kind, job.status, job.arguments) == ("awards", "queued", {"months": ["2026-11-01"]})
