"""Ledger rows: (source, external id) is unique, and bulk-written rows read back exactly."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from pacesetter.ledger.bulk import BulkWriter
from pacesetter.ledger.models import Account, Activity, Deal, ManualEntry


def _activity(person, external_id: str, source: str = "hubspot") -> Activity:
    return Activity(
        source=source,
        external_id=external_id,
        kind=Activity.Kind.CALL,
        person=person,
        occurred_at=dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC),
    )


def test_the_same_external_id_from_the_same_source_is_refused(small_org):
    _activity(small_org.alice, "call-1").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _activity(small_org.bob, "call-1").save()


def test_the_same_external_id_from_another_source_is_another_row(small_org):
    _activity(small_org.alice, "call-1").save()
    _activity(small_org.alice, "call-1", source="salesforce").save()
    assert Activity.objects.count() == 2


@pytest.mark.parametrize("model", [Account, Deal, ManualEntry])
def test_every_ledger_table_is_unique_on_source_and_external_id(model):
    unique_sets = {tuple(c.fields) for c in model._meta.constraints if hasattr(c, "fields")}
    assert ("source", "external_id") in unique_sets


def test_bulk_written_times_read_back_as_the_same_instant(small_org):
    berlin = ZoneInfo("Europe/Berlin")
    moments = [
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=berlin),  # just before the DST jump
        dt.datetime(2026, 3, 29, 3, 30, tzinfo=berlin),  # just after it
        dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    ]
    with BulkWriter(Activity, ["source", "external_id", "kind", "person", "occurred_at",
                               "segment"], batch_size=2) as writer:  # fmt: skip
        for n, moment in enumerate(moments):
            writer.add(("test", f"a{n}", "call", small_org.alice.id, moment, ""))

    stored = list(Activity.objects.order_by("external_id").values_list("occurred_at", flat=True))
    assert stored == moments
    assert writer.written == 3
    # Range filters see them where they belong in UTC.
    march_utc = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    assert Activity.objects.filter(occurred_at__range=march_utc).count() == 2


def test_a_failed_bulk_write_inside_a_transaction_leaves_nothing(small_org):
    fields = ["source", "external_id", "kind", "person", "occurred_at", "segment"]
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        BulkWriter(Activity, fields, batch_size=2) as writer,
    ):
        for n in (1, 2, 3, 3):  # the duplicate is in the second batch
            moment = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
            writer.add(("test", f"a{n}", "call", small_org.alice.id, moment, ""))
    assert Activity.objects.count() == 0


def test_any_of_finds_the_same_rows_as_in_on_every_database(small_org):
    """The importer looks up a batch's keys with ``external_id__any_of`` (one array parameter
    on PostgreSQL, an IN list elsewhere): the same rows as ``__in``, quotes and all."""
    keys = ["a-1", "b'2", 'c"3', "d,4", "e 5"]
    for i, key in enumerate(keys):
        Account.objects.create(source="crm", external_id=key, name=f"Account {i}")
    Account.objects.create(source="other", external_id="a-1", name="Elsewhere")
    wanted = [*keys[1:4], "missing"]
    by_any = Account.objects.filter(source="crm", external_id__any_of=wanted)
    by_in = Account.objects.filter(source="crm", external_id__in=wanted)
    assert sorted(by_any.values_list("external_id", flat=True)) == sorted(keys[1:4])
    assert set(by_any) == set(by_in)
    assert not Account.objects.filter(external_id__any_of=[]).exists()
