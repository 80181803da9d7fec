"""Rows that left their source: a deal or activity deleted (or merged away) in the CRM.

Imports only ever add and change rows (a file lists what exists, not what went), so the
ledger had no way out for a row; a live sync learns of deletions and merges and removes
the rows here. Each removal takes the row out of the monthly rollups in the same
transaction (the same ``RollupDeltas`` the importers write through) and sends
``ledger_changed`` on commit, naming the months that moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from pacesetter.ledger.importers.tables import ActivityTable, DealTable, chunks
from pacesetter.ledger.models import Account, Activity, Deal
from pacesetter.ledger.rollups import RollupDeltas, month_of
from pacesetter.ledger.signals import ledger_changed_on_commit
from pacesetter.org.models import OrgSettings

REMOVABLE = ("deals", "activities", "accounts")


def ledger_rows_remove(*, kind: str, source: str, external_ids: Iterable[str]) -> int:
    """Remove the ``kind`` rows of ``source`` with these external ids (unknown ids are
    ignored); answer how many went. Atomic, rollups included."""
    if kind not in REMOVABLE:
        raise ValueError(f"cannot remove {kind} rows (use {', '.join(REMOVABLE)})")
    keys = sorted({key for key in external_ids if key})
    if not keys:
        return 0
    removed = 0
    months: set[dt.date] = set()
    with transaction.atomic():
        deltas = RollupDeltas(OrgSettings.load().zone)
        for chunk in chunks(keys, 500):
            if kind == "deals":
                removed += _remove_deals(source, chunk, deltas, months)
            elif kind == "activities":
                removed += _remove_activities(source, chunk, deltas, months)
            else:  # their deals and activities stay, without the account
                removed += (
                    Account.objects.filter(source=source, external_id__in=chunk)
                    .delete()[1]
                    .get(Account._meta.label, 0)
                )
        deltas.flush()
        if removed:
            ledger_changed_on_commit(ledger_rows_remove, months or None)
    return removed


def _remove_deals(source: str, keys: list[str], deltas: RollupDeltas, months: set[dt.date]) -> int:
    rows = Deal.objects.filter(source=source, external_id__in=keys)
    fields = DealTable.fields
    for values in rows.values_list(*fields):
        row = list(values)
        row[DealTable.AMOUNT] = int(row[DealTable.AMOUNT] * 100)  # Decimal → cents
        owner, status, segment, closed_on = row[1], row[5], row[6], row[8]
        deltas.deal(owner, status, closed_on, row[DealTable.AMOUNT], segment, -1)
        if closed_on is not None:
            months.add(month_of(closed_on))
    return rows.delete()[1].get(Deal._meta.label, 0)


def _remove_activities(
    source: str, keys: list[str], deltas: RollupDeltas, months: set[dt.date]
) -> int:
    rows = Activity.objects.filter(source=source, external_id__in=keys)
    for kind, person_id, occurred_at, account_id, segment in rows.values_list(
        *ActivityTable.fields
    ):
        deltas.activity(person_id, occurred_at, kind, segment, -1, account_id)
        months.add(month_of(occurred_at.astimezone(deltas.zone).date()))
    return rows.delete()[1].get(Activity._meta.label, 0)
