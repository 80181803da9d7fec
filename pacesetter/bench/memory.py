"""The in-memory limit for org-wide progress: the same per-person values that the raw-SQL
baseline scans for, computed by polars from ledger rows already loaded into memory.

Loading is not timed (``ledger_in_memory``); only the aggregation is
(``progress_in_memory``). It is the floor no database-backed report can beat by much: no
I/O, no SQL parsing, columnar data, and every (metric, period) computed in one parallel
``collect_all``. Timestamps are loaded as epoch numbers (the database converts them while
reading) so that the frames hold polars' own datetime and date columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection

from pacesetter.bench.baseline import scan_kind
from pacesetter.metrics.models import Metric

Group = tuple[str, dt.date, dt.date]  # (metric, period start, period end)
TOUCHES = ("email", "call", "meeting", "demo")  # what counts as a touch for coverage
RECENT_DAYS = 183  # coverage: customers acquired in the last six months


@dataclass
class Ledger:
    """The ledger rows that a month's org-wide progress reads, as polars frames."""

    activities: pl.DataFrame  # person, kind, segment, at (UTC), account
    deals: pl.DataFrame  # owner, status, amount (cents), created, closed
    accounts: pl.DataFrame  # id, owner, acquired, churned
    entries: pl.DataFrame  # person, metric, first_day, value

    @property
    def rows(self) -> int:
        frames = (self.activities, self.deals, self.accounts, self.entries)
        return sum(f.height for f in frames)


def _epoch_seconds(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%%s', {column}) AS INTEGER)"
    return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"


def _epoch_days(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _frame(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The rows of ``sql``, fetched in chunks, as one frame of ``schema``."""
    parts = [pl.DataFrame(schema=schema)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(200_000):
            parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(parts, rechunk=True)


def _utc(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def ledger_in_memory(groups: Iterable[Group], zone: dt.tzinfo) -> Ledger:
    """Load the ledger rows the groups' periods can touch: activities, deals and entries
    inside the span of the periods, and every customer (for retention and coverage)."""
    groups = list(groups)
    start = min(start for _, start, _ in groups)
    end = max(end for _, _, end in groups)
    span: list[Any] = [_utc(start, zone), _utc(end, zone)]
    if connection.vendor == "sqlite":  # stored as naive UTC text
        span = [moment.replace(tzinfo=None).isoformat(" ") for moment in span]
    activities = _frame(
        f"SELECT person_id, kind, segment, {_epoch_seconds('occurred_at')}, account_id "
        "FROM ledger_activity WHERE occurred_at >= %s AND occurred_at < %s",
        span,
        {"person": pl.Int64, "kind": pl.String, "segment": pl.String, "at": pl.Int64,
         "account": pl.Int64},
    ).with_columns(
        pl.col("kind").cast(pl.Categorical), pl.col("segment").cast(pl.Categorical),
        pl.from_epoch("at", time_unit="s").dt.replace_time_zone("UTC"),
    )  # fmt: skip
    deals = _frame(
        f"SELECT owner_id, status, amount, {_epoch_days('created_on')}, "
        f"{_epoch_days('closed_on')} FROM ledger_deal WHERE closed_on >= %s "
        "AND closed_on < %s",
        [start, end],
        {
            "owner": pl.Int64,
            "status": pl.String,
            "amount": pl.Int64,
            "created": pl.Int32,
            "closed": pl.Int32,
        },
    ).with_columns(pl.col("status").cast(pl.Categorical), pl.col("created", "closed").cast(pl.Date))
    accounts = _frame(
        f"SELECT id, owner_id, {_epoch_days('acquired_on')}, {_epoch_days('churned_on')} "
        "FROM ledger_account WHERE acquired_on IS NOT NULL AND owner_id IS NOT NULL",
        [],
        {"id": pl.Int64, "owner": pl.Int64, "acquired": pl.Int32, "churned": pl.Int32},
    ).with_columns(pl.col("acquired", "churned").cast(pl.Date))
    entries = _frame(
        f"SELECT person_id, metric, {_epoch_days('first_day')}, value FROM ledger_manualentry "
        "WHERE first_day >= %s AND first_day < %s",
        [start, end],
        {"person": pl.Int64, "metric": pl.String, "first_day": pl.Int32, "value": pl.Float64},
    ).with_columns(pl.col("first_day").cast(pl.Date))
    return Ledger(activities, deals, accounts, entries)


def progress_in_memory(
    ledger: Ledger, groups: Iterable[Group], metrics: dict[str, Metric], zone: dt.tzinfo
) -> dict[Group, pl.DataFrame]:
    """Per (metric, start, end): every person's value, one frame per group (a ``person``
    column and the value's columns), all computed in one ``collect_all``."""
    wanted: list[tuple[Group, pl.LazyFrame]] = []
    for group in groups:
        name, start, end = group
        query = _query_of(metrics[name])
        if query is not None:
            wanted.append((group, query(ledger, metrics[name], start, end, zone)))
    frames = pl.collect_all([q for _, q in wanted])
    return {group: frame for (group, _), frame in zip(wanted, frames, strict=True)}


_Query = Callable[[Ledger, Metric, dt.date, dt.date, dt.tzinfo], pl.LazyFrame]


def _query_of(metric: Metric) -> _Query | None:
    """The same aggregate as the raw-SQL baseline's for ``metric`` (``baseline.scan_kind``)."""
    kind = scan_kind(metric)
    return None if kind is None else _QUERIES[kind]


def _activity_counts(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    f = metric.filters or {}
    kinds = f.get("kind")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    at = pl.col("at")
    condition = (at >= _utc(start, zone)) & (at < _utc(end, zone))
    if kinds:
        condition &= pl.col("kind").is_in(kinds)
    if f.get("segment"):
        condition &= pl.col("segment") == f["segment"]
    return ledger.activities.lazy().filter(condition).group_by("person").agg(value=pl.len())


def _closed_in(start: dt.date, end: dt.date) -> pl.Expr:
    return (pl.col("closed") >= start) & (pl.col("closed") < end)


def _won_deals(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    f = metric.filters or {}
    value = pl.col("amount").sum() if metric.aggregation == "sum" else pl.len()
    deals = ledger.deals.lazy().filter(
        (pl.col("status") == f.get("status", "won")) & _closed_in(start, end)
    )
    return deals.group_by(pl.col("owner").alias("person")).agg(value=value)


def _win_rates(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    deals = ledger.deals.lazy().filter(
        pl.col("status").is_in(["won", "lost"]) & _closed_in(start, end)
    )
    return deals.group_by(pl.col("owner").alias("person")).agg(
        won=(pl.col("status") == "won").sum(), closed=pl.len()
    )


def _lead_times(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    deals = ledger.deals.lazy().filter(
        (pl.col("status") == "won") & _closed_in(start, end) & pl.col("created").is_not_null()
    )
    days = (pl.col("closed") - pl.col("created")).dt.total_days()
    return deals.group_by(pl.col("owner").alias("person")).agg(value=days.median())


def _entries(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    f = metric.filters or {}
    day = pl.col("first_day")
    entries = ledger.entries.lazy().filter(
        (pl.col("metric") == f.get("metric", metric.name)) & (day >= start) & (day < end)
    )
    return entries.group_by("person").agg(value=pl.col("value").sum())


def _retention(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    churned = pl.col("churned")
    customers = ledger.accounts.lazy().filter(
        (pl.col("acquired") < start) & (churned.is_null() | (churned >= start))
    )
    kept = churned.is_null() | (churned >= end)
    return customers.group_by(pl.col("owner").alias("person")).agg(
        kept=kept.sum(), customers=pl.len()
    )


def _coverage(
    ledger: Ledger, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> pl.LazyFrame:
    at = pl.col("at")
    touched = (
        ledger.activities.lazy()
        .filter(
            (at >= _utc(start, zone)) & (at < _utc(end, zone)) & pl.col("kind").is_in(TOUCHES)
            & pl.col("account").is_not_null()
        )
        .select(pl.col("account").alias("id"))
        .unique()
        .with_columns(touched=pl.lit(1))
    )  # fmt: skip
    acquired = pl.col("acquired")
    recent = ledger.accounts.lazy().filter(
        (acquired < start) & (acquired >= start - dt.timedelta(days=RECENT_DAYS))
    )
    return (
        recent.join(touched, on="id", how="left")
        .group_by(pl.col("owner").alias("person"))
        .agg(touched=pl.col("touched").fill_null(0).sum(), customers=pl.len())
    )


_QUERIES: dict[str, _Query] = {
    "activity_counts": _activity_counts,
    "won_deals": _won_deals,
    "win_rates": _win_rates,
    "lead_times": _lead_times,
    "entries": _entries,
    "retention": _retention,
    "coverage": _coverage,
}
