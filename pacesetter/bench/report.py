"""The table people read: each measure, ours and the baseline, the ratio and the target,
with ✔ or ✘ where the target is a number."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

# Import against the raw load of the same rows (issue 17): executemany on SQLite, COPY on
# PostgreSQL.
IMPORT_TARGETS = {"sqlite": 1.2, "postgresql": 1.5}

# The measures that growth compares across org sizes: (key, what, its unit).
GROWTH_MEASURES = (
    ("progress_s", "org-wide progress", "s"),
    ("team_page_ms", "team page computed afresh, p50 wall", "ms"),
    ("import_s", "import, activities ∝ reps", "s"),
)


def summary_rows(results: list[dict], growth: dict[str, list[dict]] | None = None) -> list[dict]:
    """Every database's rows, then its growth rows (``growth``: by database, one entry per
    org size)."""
    rows = []
    for r in results:
        rows.extend(_database_rows(r))
        if growth and r["database"] in growth:
            rows.extend(growth_rows(r["database"], growth[r["database"]]))
    return rows


def _database_rows(r: dict) -> list[dict]:
    db = r["database"]
    rows = []
    if "import_error" in r:
        failure = r["import_error"][-200:]
        rows.append({"database": db, "measure": "import (failed)", "ours": None,
                     "baseline": None, "ratio": None, "target": failure})  # fmt: skip
    else:
        limit = IMPORT_TARGETS.get(db, 3.0)
        rows.append(_row(db, f"import {r['rows']:,} activities (s)", r["import_s"],
                         r["import_baseline_s"], f"≤ {limit:g}×", limit))  # fmt: skip
        # The baseline here is the first import: a file that changes nothing costs ≤ 0.3× it.
        rows.append(_row(db, "re-import, nothing changes (s) vs the import", r["reimport_s"],
                         r["import_s"], "≤ 0.3×", 0.3))  # fmt: skip
        rows.append(_row(db, "import peak memory (MiB)", r["import_peak_mib"], None, "flat"))
    if "load_requests" in r:
        rows.extend(_load_rows(db, r))
    progress = f"org-wide progress, {r['goals']:,} rep goals (s)"
    rows.append(_row(db, progress, r["progress_s"], r["progress_baseline_s"], "≤ 1×", 1))
    if "memory_s" in r:
        rows.append(_row(db, f"{progress} vs in-memory limit (polars)", r["progress_s"],
                         r["memory_s"], "≤ 3×", 3))  # fmt: skip
    if "all_progress_s" in r:
        rows.append(_row(db, f"… with unit goals, {r['all_goals']:,} goals (s)",
                         r["all_progress_s"], None, ""))  # fmt: skip
    rows.append(_row(db, f"one team, {r['team_goals']} goals (ms)",
                     r["team_progress_s"] * 1000, None, "≤ 50 ms", 50))  # fmt: skip
    if "pages_team_goals" in r:
        rows.extend(_page_rows(db, r))
    return rows


def _load_rows(db: str, r: dict) -> list[dict]:
    """The web during the import: latency, and what went wrong (the targets: none)."""
    during = f"{r['load_clients']} reps during the import"
    return [
        _row(db, f"{during}: {r['load_requests']:,} requests, p50 (ms)", r["load_p50_ms"],
             None, ""),
        _row(db, f"{during}: p95 (ms)", r["load_p95_ms"], None, ""),
        _row(db, f"{during}: server errors (5xx)", r["load_server_errors"], None, "0", 0),
        _row(db, f"{during}: … of which no answer within 60 s", r.get("load_no_answer", 0),
             None, ""),
        _row(db, f"{during}: asked to retry (503)", r["load_busy"], None, ""),
        _row(db, f"{during}: saves lost", r["load_lost_writes"], None, "0", 0),
    ]  # fmt: skip


def _page_rows(db: str, r: dict) -> list[dict]:
    """The team page and the rep's page: alone (served from the page cache once computed),
    computed afresh after a write, then with clients at once. Server time is the app's own
    (``Server-Timing``); wall time adds HTTP on loopback."""
    rows = []
    names = {"team": f"team page ({r['pages_team_goals']} goals)", "rep": "rep page (/)"}
    for key, name in names.items():
        p = {k.removeprefix(f"pages_{key}_"): v for k, v in r.items()
             if k.startswith(f"pages_{key}_")}  # fmt: skip
        crowd = f"{name}, {p['clients']} clients, {p['requests']} requests"
        rows += [
            _row(db, f"{name} alone: p50, server time (ms)", p["alone_server_p50_ms"], None,
                 "≤ 10 ms", 10),
            _row(db, f"{name} alone: p50 / p95, wall on loopback (ms)", p["alone_p50_ms"],
                 None, f"p95 {p['alone_p95_ms']:.1f}"),
            _row(db, f"{name} alone: share served from the page cache", p["alone_cached"],
                 None, ""),
            _row(db, f"{name} computed afresh (after a write): p50 server / wall (ms)",
                 p["cold_server_p50_ms"], None, f"wall {p['cold_p50_ms']:.1f}"),
            _row(db, f"{crowd}: p50 (ms)", p["p50_ms"], None, ""),
            _row(db, f"{crowd}: p95 (ms)", p["p95_ms"], None, "≤ 50 ms", 50),
            _row(db, f"{crowd}: p95, server time (ms)", p["server_p95_ms"], None, ""),
            _row(db, f"{crowd}: share from the page cache", p["cached"], None, ""),
            _row(db, f"{crowd}: throughput (req/s)", p["per_s"], None, ""),
            _row(db, f"{crowd}: errors", p["errors"], None, "0", 0),
        ]  # fmt: skip
    return rows


def growth_rows(db: str, sizes: list[dict]) -> list[dict]:
    """For each measure, each larger org against the smallest: the time, and the time per
    rep. Linear growth keeps the time per rep flat (ratio ≤ 1)."""
    sizes = sorted(sizes, key=lambda s: s["reps"])
    if len(sizes) < 2:
        return []
    small = sizes[0]
    rows = []
    for key, what, unit in GROWTH_MEASURES:
        to_ms = 1000.0 if unit == "s" else 1.0
        for size in sizes[1:]:
            grow = size["reps"] / small["reps"]
            span = f"growth {small['reps']:,} → {size['reps']:,} reps: {what}"
            ours, base = size[key], small[key]
            rows.append(_row(db, f"{span} ({unit})", ours, base, f"≤ {grow:g}× (linear)", grow))
            rows.append(_row(db, f"{span}, per rep (ms)", ours / size["reps"] * to_ms,
                             base / small["reps"] * to_ms, "≤ 1× (≤ linear)", 1))  # fmt: skip
    return rows


def _row(
    db: str, measure: str, ours: float, baseline: float | None, target: str,
    limit: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One line; with a ``limit``, the target says whether it is met: the ratio's when there
    is a baseline, the value's otherwise."""

    def d(x: float | None, places: str = "0.001") -> Decimal | None:
        return None if x is None else Decimal(str(x)).quantize(Decimal(places))

    ratio = ours / baseline if baseline else None
    if limit is not None and ours is not None and not math.isnan(ours):
        judged = ratio if ratio is not None else ours
        target = f"{target} {'✔' if judged <= limit else '✘'}"
    return {
        "database": db,
        "measure": measure,
        "ours": d(ours),
        "baseline": d(baseline),
        "ratio": d(ratio, "0.01") if ratio is not None else None,
        "target": target,
    }
