"""Monthly rollups of the additive facts, kept current by whoever writes the ledger.

Writers (importers, the demo, the web form) describe each row they add or remove with
``RollupDeltas`` and ``flush()`` it in the same transaction: the rollup rows are then
incremented in place (``INSERT … ON CONFLICT DO UPDATE``), so progress is fresh the moment
the import commits. ``rebuild()`` recomputes everything from the ledger: for repairs, and as
the oracle the tests compare the incremental path against.

Months are the org's: an e-mail sent at 23:30 in New York on 31 January counts for January
even though it is 1 February in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Model, Sum
from django.db.models.functions import TruncMonth

from pacesetter.ledger.models import (
    TOUCH_KINDS,
    AccountMonth,
    Activity,
    ActivityMonth,
    Deal,
    DealMonth,
)
from pacesetter.org.models import OrgSettings, Person

ActivityKey = tuple[int, dt.date, str, str]  # person, month, kind, segment
DealKey = tuple[int, dt.date, str, str]  # person, month, status, segment
TouchKey = tuple[int, dt.date]  # account, month
Rollup = ActivityMonth | DealMonth | AccountMonth
CLOSED = ("won", "lost")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


class RollupDeltas:
    """Changes to the rollups, collected row by row and applied in one statement per table."""

    def __init__(self, zone: dt.tzinfo | None = None) -> None:
        self.zone = zone or OrgSettings.load().zone
        self.activities: Counter[ActivityKey] = Counter()
        self.deal_counts: Counter[DealKey] = Counter()
        self.deal_cents: Counter[DealKey] = Counter()
        self.touches: Counter[TouchKey] = Counter()

    def activity(
        self,
        person_id: int,
        occurred_at: dt.datetime,
        kind: str,
        segment: str,
        sign: int = 1,
        account_id: int | None = None,
    ) -> None:
        """An activity added (``sign=1``) or removed (``sign=-1``)."""
        month = month_of(occurred_at.astimezone(self.zone).date())
        self.count_activity(person_id, month, kind, segment, sign, account_id)

    def count_activity(
        self,
        person_id: int,
        month: dt.date,
        kind: str,
        segment: str,
        n: int = 1,
        account_id: int | None = None,
    ) -> None:
        """``n`` activities in a month already known in the org's zone (bulk writers)."""
        self.activities[(person_id, month, kind, segment or "")] += n
        if account_id is not None and kind in TOUCH_KINDS:
            self.touches[(account_id, month)] += n

    def deal(
        self,
        person_id: int,
        status: str,
        closed_on: dt.date | None,
        amount_cents: int,
        segment: str,
        sign: int = 1,
    ) -> None:
        """A deal added or removed; only closed (won or lost) deals are rolled up."""
        if status not in CLOSED or closed_on is None:
            return
        key = (person_id, month_of(closed_on), status, segment or "")
        self.deal_counts[key] += sign
        self.deal_cents[key] += sign * amount_cents

    def __bool__(self) -> bool:
        return (
            any(self.activities.values())
            or any(self.deal_counts.values())
            or any(self.touches.values())
        )

    @property
    def held(self) -> int:
        """How many rollup rows are waiting to be written."""
        return len(self.activities) + len(self.deal_counts) + len(self.touches)

    def flush(self) -> None:
        """Apply the collected changes (inside the caller's transaction) and forget them.

        Increases are upserts. Decreases are plain UPDATEs of the existing rollup row: an
        upsert would propose a row with a negative count, which the CHECK constraint
        refuses before the conflict is even seen (on SQLite and PostgreSQL alike).
        """
        self._flush_activities()
        self._flush_deals()
        self._flush_touches()
        self.activities.clear()
        self.deal_counts.clear()
        self.deal_cents.clear()
        self.touches.clear()

    def _flush_activities(self) -> None:
        rising: list[tuple[int, dt.date, str, str, int]] = []
        falling: list[tuple[int, dt.date, str, str, int]] = []
        for key, n in self.activities.items():
            if n:
                (rising if n > 0 else falling).append((*key, n))
        if rising:
            _upsert_add(ActivityMonth, ["kind", "segment"], ["count"], rising)
        if falling:
            _subtract(ActivityMonth, ["kind", "segment"], ["count"], falling)

    def _flush_deals(self) -> None:
        rising: list[tuple[int, dt.date, str, str, int, int]] = []
        falling: list[tuple[int, dt.date, str, str, int, int]] = []
        for key, n in self.deal_counts.items():
            cents = self.deal_cents[key]
            if n or cents:
                (rising if n >= 0 and cents >= 0 else falling).append((*key, n, cents))
        if rising:
            _upsert_add(DealMonth, ["status", "segment"], ["count", "amount"], rising)
        if falling:
            _subtract(DealMonth, ["status", "segment"], ["count", "amount"], falling)

    def _flush_touches(self) -> None:
        rising = [(*key, n) for key, n in self.touches.items() if n > 0]
        falling = [(*key, n) for key, n in self.touches.items() if n < 0]
        if rising:
            _upsert_add(AccountMonth, [], ["touches"], rising, owner="account_id")
        if falling:
            _take_touches(falling)


def _upsert_add(
    model: type[Model],
    what: list[str],
    added: list[str],
    rows: Sequence[tuple[Any, ...]],
    owner: str = "person_id",
) -> None:
    """Rows ``(owner, month, *what, *added)``: insert them, or add to the existing ones."""
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = [owner, "month", *what, *added]
    key = ["month", *what, owner]
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in added)
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


def _subtract(
    model: type[Model], what: list[str], added: list[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Rows ``(person, month, *what, *added)`` with negative deltas: add them to rows that
    must exist. A missing row means the rollups and the ledger disagree: refuse."""
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = {q(c)} + %s" for c in added)
    where = " AND ".join(f"{q(c)} = %s" for c in ["person_id", "month", *what])
    sql = f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {where}"
    n_key = 2 + len(what)
    params = [(*row[n_key:], *row[:n_key]) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 10_000):
            chunk = params[start : start + 10_000]
            cursor.executemany(sql, chunk)
            if cursor.rowcount != len(chunk):
                raise ValueError(
                    f"{model.__name__}: a decrease found no rollup row to take from; the "
                    "rollups disagree with the ledger (`pacesetter rollups rebuild` recounts them)"
                )


def _take_touches(rows: list[tuple[int, dt.date, int]]) -> None:
    """Rows ``(account, month, -n)``: a month whose touches all go is deleted (the table
    holds touched months only); the others are decreased. A row that is missing or holds
    fewer touches than are taken means the rollups and the ledger disagree: refuse."""
    q = connection.ops.quote_name
    table = q(AccountMonth._meta.db_table)
    gone = f"DELETE FROM {table} WHERE account_id = %s AND month = %s AND touches = %s"
    fewer = (
        f"UPDATE {table} SET touches = touches - %s "
        "WHERE account_id = %s AND month = %s AND touches > %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            chunk = rows[start : start + 10_000]
            cursor.executemany(gone, [(a, m, -n) for a, m, n in chunk])
            changed = cursor.rowcount
            cursor.executemany(fewer, [(-n, a, m, -n) for a, m, n in chunk])
            changed += cursor.rowcount
            if changed != len(chunk):
                raise ValueError(
                    "AccountMonth: more touches taken than were counted; the rollups "
                    "disagree with the ledger (`pacesetter rollups rebuild` recounts them)"
                )


class _Discard(Exception):
    """Raised to roll a dry run's transaction back."""


def differences() -> dict[str, int]:
    """How many rollup rows differ from a recount from the ledger, per rollup (nothing is
    changed: the recount is rolled back). Rows a decrease brought to zero count as absent."""
    keys: dict[type[Rollup], tuple[list[str], list[str]]] = {
        ActivityMonth: (["person_id", "month", "kind", "segment"], ["count"]),
        DealMonth: (["person_id", "month", "status", "segment"], ["count", "amount"]),
        AccountMonth: (["account_id", "month"], ["touches"]),
    }
    empty = {ActivityMonth: {"count": 0}, DealMonth: {"count": 0, "amount": 0}, AccountMonth: {}}
    names = {ActivityMonth: "activities", DealMonth: "deals", AccountMonth: "touches"}

    def rows() -> dict[str, dict[tuple, tuple]]:
        found = {}
        for model, (key, counted) in keys.items():
            stored = model.objects.exclude(**empty[model]).values_list(*key, *counted)
            found[names[model]] = {row[: len(key)]: row[len(key) :] for row in stored}
        return found

    kept = rows()
    recount: dict[str, dict[tuple, tuple]] = {}
    try:
        with transaction.atomic():
            rebuild()
            recount.update(rows())
            raise _Discard
    except _Discard:
        pass
    return {
        name: sum(kept[name].get(k) != recount[name].get(k) for k in kept[name] | recount[name])
        for name in kept
    }


@transaction.atomic
def rebuild(person_ids: Iterable[int] | None = None) -> None:
    """Recompute the rollups from the ledger (all people, or only ``person_ids``)."""
    zone = OrgSettings.load().zone
    activity_rollups = ActivityMonth.objects.all()
    deal_rollups = DealMonth.objects.all()
    activities = Activity.objects.all()
    deals = Deal.objects.filter(status__in=CLOSED, closed_on__isnull=False)
    if person_ids is not None:
        ids = list(person_ids)
        activity_rollups = activity_rollups.filter(person_id__in=ids)
        deal_rollups = deal_rollups.filter(person_id__in=ids)
        activities = activities.filter(person_id__in=ids)
        deals = deals.filter(owner_id__in=ids)
    activity_rollups.delete()
    deal_rollups.delete()
    rows = (
        activities.annotate(m=TruncMonth("occurred_at", tzinfo=zone))
        .values_list("person_id", "m", "kind", "segment")
        .annotate(n=Count("id"))
        .order_by()
    )
    ActivityMonth.objects.bulk_create(
        (
            ActivityMonth(person_id=p, month=_as_date(m), kind=k, segment=s, count=n)
            for p, m, k, s, n in rows.iterator(chunk_size=10_000)
        ),
        batch_size=5_000,
    )
    deal_rows = (
        deals.annotate(m=TruncMonth("closed_on"))
        .values_list("owner_id", "m", "status", "segment")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by()
    )
    DealMonth.objects.bulk_create(
        (
            DealMonth(person_id=p, month=_as_date(m), status=st, segment=s, count=n, amount=a)
            for p, m, st, s, n, a in deal_rows.iterator(chunk_size=10_000)
        ),
        batch_size=5_000,
    )

    # Touches are per customer, whoever made them: recount every customer these people
    # touched (or every customer).
    touch_rollups = AccountMonth.objects.all()
    touches = Activity.objects.filter(account__isnull=False, kind__in=TOUCH_KINDS)
    if person_ids is not None:
        accounts = activities.filter(account__isnull=False).values("account_id")
        touch_rollups = touch_rollups.filter(account_id__in=accounts)
        touches = touches.filter(account_id__in=accounts)
    touch_rollups.delete()
    touch_rows = (
        touches.annotate(m=TruncMonth("occurred_at", tzinfo=zone))
        .values_list("account_id", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    AccountMonth.objects.bulk_create(
        (
            AccountMonth(account_id=a, month=_as_date(m), touches=n)
            for a, m, n in touch_rows.iterator(chunk_size=10_000)
        ),
        batch_size=5_000,
    )


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def rebuild_in_steps(rows_per_step: int = 50_000) -> int:
    """``rebuild()`` for everyone, one short transaction per group of people with about
    ``rows_per_step`` activities and deals between them (and their customers' touches), so
    that other writers wait for a step, never for the whole recount: on SQLite one writer
    holds the database at a time, and a step of 50,000 rows takes 2–3 s, under the pages'
    busy timeout. Returns how many people."""
    rows = Counter(dict(Activity.objects.values_list("person").annotate(n=Count("id")).order_by()))
    rows.update(dict(Deal.objects.values_list("owner").annotate(n=Count("id")).order_by()))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    step: list[int] = []
    in_step = 0
    for person in people:
        if step and in_step + rows[person] > rows_per_step:
            with transaction.atomic():
                rebuild(step)
            step, in_step = [], 0
        step.append(person)
        in_step += rows[person]
    if step:
        with transaction.atomic():
            rebuild(step)
    return len(people)
