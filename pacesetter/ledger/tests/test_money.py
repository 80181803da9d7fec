"""Money is exact: stored as integer cents, summed by the database without losing a cent."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Sum

from pacesetter.ledger.bulk import BulkWriter
from pacesetter.ledger.models import Deal, ManualEntry


def _won_deal(owner, amount, n: int) -> Deal:
    return Deal(
        source="test",
        external_id=f"d{n}",
        owner=owner,
        amount=amount,
        stage="Closed Won",
        status=Deal.Status.WON,
        created_on=dt.date(2026, 1, 5),
        closed_on=dt.date(2026, 1, 20),
    )


def test_an_amount_comes_back_as_the_same_decimal(small_org):
    deal = _won_deal(small_org.alice, Decimal("1234.56"), 1)
    deal.save()
    deal.refresh_from_db()
    assert deal.amount == Decimal("1234.56")
    assert isinstance(deal.amount, Decimal)


def test_the_sum_of_many_amounts_is_exact(small_org):
    # Amounts whose float sum drifts: 0.10 + 0.20 != 0.30 in binary floating point.
    rng = random.Random(42)
    amounts = [Decimal(rng.randrange(1, 10_000_000)) / 100 for _ in range(20_000)]
    amounts += [Decimal("0.10"), Decimal("0.20")] * 500
    with BulkWriter(Deal, ["source", "external_id", "owner", "amount", "stage", "status",
                           "segment", "created_on", "closed_on", "name"]) as writer:  # fmt: skip
        for n, amount in enumerate(amounts):
            writer.add(("test", f"d{n}", small_org.alice.id, int(amount * 100), "Closed Won",
                        "won", "", dt.date(2026, 1, 5), dt.date(2026, 1, 20), ""))  # fmt: skip

    total = Deal.objects.aggregate(total=Sum("amount"))["total"]

    assert total == sum(amounts)
    assert isinstance(total, Decimal)
    assert str(total) == str(sum(amounts))  # same digits, same two places


def test_the_database_sum_matches_cent_for_cent_on_this_backend(small_org):
    Deal.objects.bulk_create(
        [_won_deal(small_org.bob, Decimal("0.10"), n) for n in range(1000)]
        + [_won_deal(small_org.bob, Decimal("0.20"), n) for n in range(1000, 2000)]
    )
    by_owner = Deal.objects.values("owner").annotate(total=Sum("amount")).get()
    assert by_owner["total"] == Decimal("300.00"), connection.vendor


def test_an_average_in_the_money_field_is_a_decimal_to_the_cent(small_org):
    Deal.objects.bulk_create(
        [_won_deal(small_org.bob, Decimal(v), n) for n, v in enumerate(["10.00", "20.02"])]
    )
    avg = Deal.objects.aggregate(avg=Avg("amount", output_field=Deal._meta.get_field("amount")))
    assert avg["avg"] == Decimal("15.01")


def test_fractions_of_a_cent_are_refused_not_rounded(small_org):
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        _won_deal(small_org.alice, Decimal("10.005"), 1).save()


def test_a_negative_amount_is_refused_by_the_database(small_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        _won_deal(small_org.alice, Decimal("-1.00"), 1).save()


def test_a_won_deal_needs_a_close_date(small_org):
    deal = _won_deal(small_org.alice, Decimal("5.00"), 1)
    deal.closed_on = None
    with pytest.raises(IntegrityError), transaction.atomic():
        deal.save()


def test_money_filters_compare_in_cents(small_org):
    Deal.objects.bulk_create(
        [_won_deal(small_org.bob, Decimal(v), n) for n, v in enumerate(["99.99", "100.00"])]
    )
    assert Deal.objects.filter(amount__gte=Decimal("100")).count() == 1
    assert Deal.objects.filter(amount__lt=100).count() == 1


def test_manual_entry_values_keep_two_places(small_org):
    ManualEntry.objects.create(
        source="web",
        external_id="alice-pd-1",
        person=small_org.alice,
        metric="pd_events",
        first_day=dt.date(2026, 3, 2),
        value=Decimal("1.50"),
    )
    assert ManualEntry.objects.get().value == Decimal("1.50")
