"""``pacesetter bench``: the scale benchmark, with ratios against raw-SQL baselines.

For SQLite (always) and PostgreSQL (when one answers), it builds the large demo org once
(2,000 reps, ~10 million activities a year; kept under var/bench/ and reused), then in a
process configured for that database measures: importing a 1-million-row activities CSV
with ``pacesetter import`` against a raw loader, org-wide progress for the month against
raw GROUP BY scans, one team's progress, and the import's peak memory. It prints a table
and writes var/bench.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.demo.generator import ORG_ZONE
from pacesetter.tabular import render

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/pacesetter_bench"


def _pg_reachable(url: str) -> bool:
    import psycopg

    from pacesetter.config import database_from_url

    db = database_from_url(url, settings.BASE_DIR)
    try:
        psycopg.connect(
            dbname="postgres", user=db["USER"] or None, host=db["HOST"] or None,
            port=db["PORT"] or None, password=db["PASSWORD"] or None, connect_timeout=3,
        ).close()  # fmt: skip
    except psycopg.Error:
        return False
    return True


def _pg_recreate(url: str) -> None:
    import psycopg

    from pacesetter.config import database_from_url

    db = database_from_url(url, settings.BASE_DIR)
    with psycopg.connect(
        dbname="postgres", user=db["USER"] or None, host=db["HOST"] or None,
        port=db["PORT"] or None, password=db["PASSWORD"] or None, autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


class Command(BaseCommand):
    help = "Scale benchmark on SQLite and PostgreSQL, with ratios against raw-SQL baselines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reps", type=int, default=2000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--activities", type=int, default=1_000_000,
                            help="rows in the CSV that is imported")  # fmt: skip
        parser.add_argument("--databases", default="sqlite,postgres")
        parser.add_argument("--fresh", action="store_true", help="rebuild the demo databases")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        # Internal: run the measurements in this process's database.
        parser.add_argument("--measure", action="store_true", help="(internal)")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="(internal)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["measure"]:
            from pacesetter.bench.runner import measure

            workdir = Path(settings.VAR_DIR) / "bench"
            result = measure(workdir, options["activities"], options["today"])
            self.stdout.write("BENCH-RESULT " + json.dumps(result))
            return
        workdir = Path(settings.VAR_DIR) / "bench"
        workdir.mkdir(parents=True, exist_ok=True)
        urls = {"sqlite": f"sqlite:///{workdir}/bench.sqlite3"}
        pg_url = os.environ.get("PACESETTER_BENCH_POSTGRES_URL", DEFAULT_PG)
        wanted = [d.strip() for d in options["databases"].split(",") if d.strip()]
        if "postgres" in wanted:
            if _pg_reachable(pg_url):
                urls["postgres"] = pg_url
            else:
                self.stderr.write(f"No PostgreSQL answers at {pg_url}: SQLite only.")
        results = []
        for name in wanted:
            if name not in urls:
                continue
            env = {**os.environ, "PACESETTER_DATABASE_URL": urls[name]}
            as_of = self._prepare(name, urls[name], env, workdir, options)
            self.stderr.write(f"[{name}] measuring…")
            done = subprocess.run(
                [sys.executable, "-m", "pacesetter", "bench", "--measure", "--today",
                 as_of, "--activities", str(options["activities"])],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            line = next(
                (x for x in done.stdout.splitlines() if x.startswith("BENCH-RESULT ")), None
            )
            if done.returncode != 0 or line is None:
                raise CommandError(f"[{name}] measurement failed:\n{done.stdout}\n{done.stderr}")
            results.append(json.loads(line.removeprefix("BENCH-RESULT ")))
        report = {"reps": options["reps"], "months": options["months"], "results": results}
        (Path(settings.VAR_DIR) / "bench.json").write_text(json.dumps(report, indent=2))
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            title = "Pacesetter benchmark (ours vs raw baseline)"
            self.stdout.write(render(summary_rows(results), "table", title=title))

    def _prepare(self, name: str, url: str, env: dict, workdir: Path, options: dict) -> str:
        """Build (or reuse) the large demo in this database; returns its as-of date."""
        meta_path = workdir / f"{name}.json"
        wanted = {"reps": options["reps"], "months": options["months"]}
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        if not options["fresh"] and {k: meta.get(k) for k in wanted} == wanted:
            # Reused: bring its schema up to date (new indexes, say) and go.
            subprocess.run([sys.executable, "-m", "pacesetter", "migrate", "-v0"], env=env,
                           check=True, stdout=sys.stderr)  # fmt: skip
            return meta["as_of"]
        self.stderr.write(f"[{name}] building the demo org: {wanted} (once; reused later)…")
        if name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{workdir}/bench.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            _pg_recreate(url)
        pacesetter = [sys.executable, "-m", "pacesetter"]
        # What the set-up prints goes to stderr: stdout is the report (JSON with --format json).
        subprocess.run([*pacesetter, "migrate", "-v0"], env=env, check=True, stdout=sys.stderr)
        started = time.perf_counter()
        subprocess.run(
            [*pacesetter, "demo", "--reps", str(options["reps"]), "--months",
             str(options["months"])],
            env=env, check=True, stdout=sys.stderr,
        )  # fmt: skip
        today = dt.datetime.now(ZoneInfo(ORG_ZONE)).date()  # the demo org's today
        meta = {**wanted, "as_of": str(today),
                "demo_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
        meta_path.write_text(json.dumps(meta))
        return meta["as_of"]


def summary_rows(results: list[dict]) -> list[dict]:
    """The table people read: each measure, ours and the baseline, the ratio, the target."""
    rows = []
    for r in results:
        db = r["database"]
        if "import_error" in r:
            failure = r["import_error"][-200:]
            rows.append({"database": db, "measure": "import (failed)", "ours": None,
                         "baseline": None, "ratio": None, "target": failure})  # fmt: skip
        else:
            rows.append(_row(db, f"import {r['rows']:,} activities (s)", r["import_s"],
                             r["import_baseline_s"], "≤ 3×"))  # fmt: skip
            rows.append(_row(db, "re-import, nothing changes (s)", r["reimport_s"], None, ""))
            rows.append(_row(db, "import peak memory (MiB)", r["import_peak_mib"], None, "flat"))
        if "load_requests" in r:
            rows.extend(_load_rows(db, r))
        rows.append(_row(db, f"org-wide progress, {r['goals']:,} rep goals (s)",
                         r["progress_s"], r["progress_baseline_s"], "≤ 1×"))  # fmt: skip
        if "all_progress_s" in r:
            rows.append(_row(db, f"… with unit goals, {r['all_goals']:,} goals (s)",
                             r["all_progress_s"], None, ""))  # fmt: skip
        rows.append(_row(db, f"one team, {r['team_goals']} goals (ms)",
                         r["team_progress_s"] * 1000, None, "≤ 50 ms"))  # fmt: skip
    return rows


def _load_rows(db: str, r: dict) -> list[dict]:
    """The web during the import: latency, and what went wrong (the targets: none)."""
    during = f"{r['load_clients']} reps during the import"
    return [
        _row(db, f"{during}: {r['load_requests']:,} requests, p50 (ms)", r["load_p50_ms"],
             None, ""),
        _row(db, f"{during}: p95 (ms)", r["load_p95_ms"], None, ""),
        _row(db, f"{during}: server errors (5xx)", r["load_server_errors"], None, "0"),
        _row(db, f"{during}: asked to retry (503)", r["load_busy"], None, ""),
        _row(db, f"{during}: saves lost", r["load_lost_writes"], None, "0"),
    ]  # fmt: skip


def _row(db: str, measure: str, ours: float, baseline: float | None, target: str) -> dict:
    from decimal import Decimal

    def d(x: float | None, places: str = "0.001") -> Decimal | None:
        return None if x is None else Decimal(str(x)).quantize(Decimal(places))

    return {
        "database": db,
        "measure": measure,
        "ours": d(ours),
        "baseline": d(baseline),
        "ratio": d(ours / baseline, "0.01") if baseline else None,
        "target": target,
    }
