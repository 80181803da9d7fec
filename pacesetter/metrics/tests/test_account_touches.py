"""New-customer coverage (G4) reads each customer's monthly touches from a rollup
(``AccountMonth``) kept by whoever writes activities; two-week windows search the activities.
Both must give the same answer, in the org's months."""

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter.ledger.models import AccountMonth, Activity
from pacesetter.ledger.rollups import RollupDeltas, rebuild
from pacesetter.metrics.engine import Window, person_values
from pacesetter.metrics.models import Metric

from .conftest import at

NOV = Window(dt.date(2026, 11, 1), dt.date(2026, 12, 1))
OCT_START, NOV_START = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def touches() -> set[tuple]:
    return set(AccountMonth.objects.values_list("account_id", "month", "touches"))


def coverage(window_kind: str) -> Metric:
    metric = Metric.objects.get(name="new_customer_coverage")
    metric.filters = {"recent_months": 6, "window": window_kind}
    return metric


def test_a_touch_counts_in_the_org_month_it_happened_in(new_york, ledger):
    """23:30 in New York on 31 October is 1 November in UTC: an October touch."""
    alice = new_york.alice
    customer = ledger.account(alice, acquired=dt.date(2026, 9, 1))
    ledger.activity(alice, "call", at(dt.date(2026, 10, 31), 23, 30), account=customer)
    ledger.activity(alice, "article", at(dt.date(2026, 11, 2), 9), account=customer)  # no touch
    ledger.done()
    assert touches() == {(customer.pk, OCT_START, 1)}
    month_end = dt.date(2026, 12, 1)
    assert person_values(coverage("month"), NOV, [alice.pk], as_of=month_end) == {
        alice.pk: Decimal("0.0")
    }
    ledger.activity(alice, "email", at(dt.date(2026, 11, 20), 9), account=customer)
    ledger.done()
    by_month = person_values(coverage("month"), NOV, [alice.pk], as_of=month_end)
    assert by_month == {alice.pk: Decimal("100.0")}
    # The same month asked as one window of the activities (a mid-month period is searched
    # there): the same answer.
    by_search = person_values(
        coverage("month"), Window(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), [alice.pk],
        as_of=month_end,
    )  # fmt: skip
    assert by_search == by_month


def test_touches_kept_by_deltas_match_a_rebuild_and_empty_months_go(new_york, ledger):
    alice, bob = new_york.alice, new_york.bob
    first = ledger.account(alice, acquired=dt.date(2026, 9, 1))
    second = ledger.account(bob, acquired=dt.date(2026, 9, 1))
    ledger.activities(alice, "call", dt.date(2026, 11, 5), 2, account=first)
    ledger.done()
    # An import adds Bob's demo for the first customer and a call for the second, and
    # takes one of Alice's calls away.
    deltas = RollupDeltas()
    demo = ledger.activity(bob, "demo", at(dt.date(2026, 11, 6), 10), account=first)
    call = ledger.activity(bob, "call", at(dt.date(2026, 11, 6), 11), account=second)
    for a in (demo, call):
        deltas.activity(a.person_id, a.occurred_at, a.kind, a.segment, 1, a.account_id)
    gone = Activity.objects.filter(account=first, person=alice).first()
    deltas.activity(alice.pk, gone.occurred_at, "call", gone.segment, -1, first.pk)
    gone.delete()
    deltas.flush()
    kept = touches()
    assert kept == {(first.pk, NOV_START, 2), (second.pk, NOV_START, 1)}
    rebuild()
    assert touches() == kept
    # The second customer's only touch goes: its month goes with it (the table holds
    # touched months only, so "touched?" is a look-up in its key).
    deltas.activity(bob.pk, call.occurred_at, "call", call.segment, -1, second.pk)
    call.delete()
    deltas.flush()
    assert touches() == {(first.pk, NOV_START, 2)}
    # Taking touches that were never counted means the rollups and the ledger disagree.
    AccountMonth.objects.filter(account=first).delete()
    remaining = Activity.objects.get(account=first, person=alice)
    deltas.activity(alice.pk, remaining.occurred_at, "call", remaining.segment, -1, first.pk)
    with pytest.raises(ValueError, match="disagree with the ledger"):
        deltas.flush()


def test_rebuilding_some_people_recounts_every_customer_they_touched(new_york, ledger):
    alice, bob = new_york.alice, new_york.bob
    shared = ledger.account(alice, acquired=dt.date(2026, 9, 1))
    ledger.activity(alice, "call", at(dt.date(2026, 11, 5), 9), account=shared)
    ledger.activity(bob, "call", at(dt.date(2026, 11, 5), 10), account=shared)
    ledger.done()
    AccountMonth.objects.all().delete()  # lost, say
    rebuild([alice.pk])
    assert touches() == {(shared.pk, NOV_START, 2)}  # Bob's touch of her customer too
