"""The raw baselines the benchmark compares Pacesetter with, on the same data.

- Import: the stdlib ``sqlite3.executemany`` in one transaction (SQLite) or ``COPY``
  (PostgreSQL) of the same CSV file, parsed with ``csv`` — the fastest a loader could be,
  with no validation, no upsert and no rollups. Rolled back afterwards.
- Progress: hand-written ``GROUP BY`` scans of the ledger tables computing the same
  (metric, period) values that the goals need, with no rollups.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection

from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person


def import_baseline(path: Path, zone: dt.tzinfo) -> int:
    """Insert every row of an activities CSV as fast as the database allows; roll back."""
    people = dict(Person.objects.values_list("email", "id"))
    settings = connection.settings_dict

    def rows() -> Iterator[tuple[str, str, str, int, dt.datetime, str]]:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            for external_id, person, kind, occurred, _account, segment in reader:
                moment = dt.datetime.fromisoformat(occurred).replace(tzinfo=zone)
                yield (
                    "baseline",
                    external_id,
                    kind,
                    people[person],
                    moment.astimezone(dt.UTC),
                    segment,
                )

    columns = "source, external_id, kind, person_id, occurred_at, segment"
    count = 0
    if connection.vendor == "sqlite":
        raw = sqlite3.connect(settings["NAME"], isolation_level=None)
        try:
            raw.execute("BEGIN")
            batch: list[tuple] = []
            for row in rows():
                batch.append((*row[:4], row[4].replace(tzinfo=None).isoformat(" "), row[5]))
                if len(batch) == 50_000:
                    raw.executemany(
                        f"INSERT INTO ledger_activity ({columns}) VALUES (?,?,?,?,?,?)", batch
                    )
                    count += len(batch)
                    batch = []
            raw.executemany(f"INSERT INTO ledger_activity ({columns}) VALUES (?,?,?,?,?,?)", batch)
            count += len(batch)
        finally:
            raw.execute("ROLLBACK")
            raw.close()
        return count
    import psycopg

    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    ) as pg:
        with (
            pg.cursor() as cursor,
            cursor.copy(f"COPY ledger_activity ({columns}) FROM STDIN") as copy,
        ):
            for row in rows():
                copy.write_row(row)
                count += 1
        pg.rollback()
    return count


def _utc_text(day: dt.date, zone: dt.tzinfo) -> Any:
    moment = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat(" ") if connection.vendor == "sqlite" else moment


def progress_baseline(
    groups: dict[tuple[str, dt.date, dt.date], None], metrics: dict[str, Metric],
    zone: dt.tzinfo,
) -> dict[tuple, dict[int, Any]]:  # fmt: skip
    """Per (metric, start, end): every person's value by a raw scan of the ledger."""
    results: dict[tuple, dict[int, Any]] = {}
    with connection.cursor() as cursor:
        for name, start, end in groups:
            metric = metrics[name]
            scan = _scan_of(metric)
            if scan is not None:
                results[(name, start, end)] = scan(cursor, metric, start, end, zone)
    return results


_Scan = Callable[[Any, Metric, dt.date, dt.date, dt.tzinfo], dict[int, Any]]


def scan_kind(metric: Metric) -> str | None:
    """Which aggregate computes ``metric`` (None: one the baselines leave out); the raw-SQL
    baseline here and the in-memory one (``memory.py``) each have one of each kind."""
    agg = metric.aggregation
    if metric.source == "activities":
        return "activity_counts"
    if metric.source == "deals" and agg in ("sum", "count"):
        return "won_deals"
    if agg in ("ratio", "median_days"):
        return {"ratio": "win_rates", "median_days": "lead_times"}[agg]
    if metric.source == "entries":
        return "entries"
    return agg if agg in ("retention", "coverage") else None


def _scan_of(metric: Metric) -> _Scan | None:
    """The raw scan that computes ``metric``; None for a metric the baseline leaves out."""
    kind = scan_kind(metric)
    return None if kind is None else _SCANS[kind]


def _activity_counts(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    f = metric.filters or {}
    kinds = f.get("kind")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    sql = (
        "SELECT person_id, COUNT(*) FROM ledger_activity "
        "WHERE occurred_at >= %s AND occurred_at < %s"
    )
    params: list[Any] = [_utc_text(start, zone), _utc_text(end, zone)]
    if kinds:
        sql += f" AND kind IN ({', '.join(['%s'] * len(kinds))})"
        params += kinds
    if f.get("segment"):
        sql += " AND segment = %s"
        params.append(f["segment"])
    cursor.execute(sql + " GROUP BY person_id", params)
    return dict(cursor.fetchall())


def _won_deals(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    f = metric.filters or {}
    expr = "SUM(amount)" if metric.aggregation == "sum" else "COUNT(*)"
    cursor.execute(
        f"SELECT owner_id, {expr} FROM ledger_deal WHERE status = %s "
        "AND closed_on >= %s AND closed_on < %s GROUP BY owner_id",
        [f.get("status", "won"), start, end],
    )
    return dict(cursor.fetchall())


def _win_rates(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    cursor.execute(
        "SELECT owner_id, SUM(CASE WHEN status = 'won' THEN 1 ELSE 0 END), COUNT(*) "
        "FROM ledger_deal WHERE status IN ('won', 'lost') "
        "AND closed_on >= %s AND closed_on < %s GROUP BY owner_id",
        [start, end],
    )
    return {o: (w, c) for o, w, c in cursor.fetchall()}


def _lead_times(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    cursor.execute(
        "SELECT owner_id, created_on, closed_on FROM ledger_deal WHERE status = 'won' "
        "AND closed_on >= %s AND closed_on < %s AND created_on IS NOT NULL",
        [start, end],
    )
    days: dict[int, list[int]] = defaultdict(list)
    for owner, created, closed in cursor.fetchall():
        created = dt.date.fromisoformat(str(created)[:10])
        closed = dt.date.fromisoformat(str(closed)[:10])
        days[owner].append((closed - created).days)
    return {o: statistics.median(v) for o, v in days.items()}


def _entries(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    f = metric.filters or {}
    cursor.execute(
        "SELECT person_id, SUM(value) FROM ledger_manualentry WHERE metric = %s "
        "AND first_day >= %s AND first_day < %s GROUP BY person_id",
        [f.get("metric", metric.name), start, end],
    )
    return dict(cursor.fetchall())


def _retention(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    cursor.execute(
        "SELECT owner_id, SUM(CASE WHEN churned_on IS NULL OR churned_on >= %s "
        "THEN 1 ELSE 0 END), COUNT(*) FROM ledger_account WHERE acquired_on < %s "
        "AND (churned_on IS NULL OR churned_on >= %s) AND owner_id IS NOT NULL "
        "GROUP BY owner_id",
        [end, start, start],
    )
    return {o: (k, b) for o, k, b in cursor.fetchall()}


def _coverage(
    cursor: Any, metric: Metric, start: dt.date, end: dt.date, zone: dt.tzinfo
) -> dict[int, Any]:
    cursor.execute(
        "SELECT a.owner_id, a.id, COUNT(t.id) FROM ledger_account a "
        "LEFT JOIN ledger_activity t ON t.account_id = a.id "
        "AND t.occurred_at >= %s AND t.occurred_at < %s "
        "AND t.kind IN ('email', 'call', 'meeting', 'demo') "
        "WHERE a.acquired_on < %s AND a.acquired_on >= %s AND a.owner_id IS NOT NULL "
        "GROUP BY a.owner_id, a.id",
        [_utc_text(start, zone), _utc_text(end, zone), start,
         start - dt.timedelta(days=183)],
    )  # fmt: skip
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for owner, _account, touches in cursor.fetchall():
        found[owner][1] += 1
        found[owner][0] += touches > 0
    return dict(found)


_SCANS: dict[str, _Scan] = {
    "activity_counts": _activity_counts,
    "won_deals": _won_deals,
    "win_rates": _win_rates,
    "lead_times": _lead_times,
    "entries": _entries,
    "retention": _retention,
    "coverage": _coverage,
}
