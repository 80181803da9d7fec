"""``pacesetter bench``: the scale benchmark, with ratios against raw-SQL baselines.

For SQLite (always) and PostgreSQL (when one answers), it builds the large demo org once
(2,000 reps, ~10 million activities a year; kept under var/bench/ and reused), then in a
process configured for that database measures: importing a 1-million-row activities CSV
with ``pacesetter import`` against a raw loader, org-wide progress for the month against
raw GROUP BY scans and against the same values computed in memory (polars), one team's
progress, the import's peak memory, the web during the import, and the team and rep pages
under load. Growth (``--scale``) builds smaller orgs beside it and compares progress, the
team page and the import across org sizes. ``--skip`` leaves the slow new parts out. It
prints a table and writes var/bench.json.
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

from pacesetter.bench.report import summary_rows
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


PARTS = ("in-memory", "pages", "growth")  # the parts --skip may leave out


def _scaled_url(url: str, reps: int) -> str:
    """The database of the org of ``reps`` reps that growth builds beside ``url``'s."""
    if url.startswith("sqlite:///"):
        return f"{url.removesuffix('.sqlite3')}-{reps}.sqlite3"
    base, _, query = url.partition("?")
    return f"{base}_{reps}" + (f"?{query}" if query else "")


def _run_measure(name: str, env: dict, arguments: list[str]) -> dict:
    """``pacesetter bench --measure …`` in a process configured for the database."""
    done = subprocess.run(
        [sys.executable, "-m", "pacesetter", "bench", "--measure", *arguments],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH-RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise CommandError(f"[{name}] measurement failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(line.removeprefix("BENCH-RESULT ")))


def _names(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _numbers(text: str) -> list[int]:
    return [int(x) for x in _names(text)]


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
        parser.add_argument(
            "--skip", default="", type=_names,
            help=f"leave parts out, comma-separated: {', '.join(PARTS)}",
        )  # fmt: skip
        parser.add_argument(
            "--scale", default=None,
            help="rep counts growth compares, comma-separated (default: a quarter of --reps "
            "and --reps); each org is built once, and the --reps one is the main database",
        )  # fmt: skip
        parser.add_argument(
            "--page-requests", default="50,20", type=_numbers,
            help="the pages part: requests of each page alone, and per client at once",
        )  # fmt: skip
        # Internal: run the measurements in this process's database.
        parser.add_argument("--measure", action="store_true", help="(internal)")
        parser.add_argument("--growth-only", action="store_true", help="(internal)")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="(internal)")

    def handle(self, *args: Any, **options: Any) -> None:
        workdir = Path(settings.VAR_DIR) / "bench"
        if options["measure"]:
            from pacesetter.bench.runner import measure, measure_growth

            if options["growth_only"]:
                result = measure_growth(workdir, options["activities"], options["today"])
            else:
                skip = frozenset(options["skip"])
                alone, each = options["page_requests"]
                result = measure(
                    workdir, options["activities"], options["today"], skip, (alone, each)
                )
            self.stdout.write("BENCH-RESULT " + json.dumps(result))
            return
        unknown = set(options["skip"]) - set(PARTS)
        if unknown:
            raise CommandError(f"--skip: unknown part(s) {', '.join(sorted(unknown))}")
        workdir.mkdir(parents=True, exist_ok=True)
        urls = {"sqlite": f"sqlite:///{workdir}/bench.sqlite3"}
        pg_url = os.environ.get("PACESETTER_BENCH_POSTGRES_URL", DEFAULT_PG)
        wanted = _names(options["databases"])
        if "postgres" in wanted:
            if _pg_reachable(pg_url):
                urls["postgres"] = pg_url
            else:
                self.stderr.write(f"No PostgreSQL answers at {pg_url}: SQLite only.")
        results, growth = [], {}
        for name in wanted:
            if name not in urls:
                continue
            env = {**os.environ, "PACESETTER_DATABASE_URL": urls[name],
                   "PACESETTER_BENCH_SERVER_LOG": str(workdir / f"server-{name}.log"),
                   "PACESETTER_PAGE_CACHE_DIR": str(workdir / f"page-cache-{name}")}  # fmt: skip
            as_of = self._prepare(name, urls[name], env, workdir / f"{name}.json", options)
            self.stderr.write(f"[{name}] measuring…")
            result = _run_measure(name, env, [
                "--today", as_of, "--activities", str(options["activities"]),
                "--skip", ",".join(options["skip"]),
                "--page-requests", ",".join(map(str, options["page_requests"])),
            ])  # fmt: skip
            results.append(result)
            if "growth" not in options["skip"]:  # keyed as the results are: by vendor
                sizes = self._growth(name, urls[name], workdir, result, options)
                growth[result["database"]] = sizes
        report = {"reps": options["reps"], "months": options["months"], "results": results,
                  "growth": growth}  # fmt: skip
        (Path(settings.VAR_DIR) / "bench.json").write_text(json.dumps(report, indent=2))
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            title = "Pacesetter benchmark (ours vs baseline)"
            self.stdout.write(render(summary_rows(results, growth), "table", title=title))

    def _growth(self, name: str, url: str, workdir: Path, main: dict, options: dict) -> list:
        """The growth measures at every org size of --scale; the main org's come from its
        own measurements (its team page measured alone when the pages part was skipped)."""
        reps = options["reps"]
        scales = [int(x) for x in _names(options["scale"] or f"{max(reps // 4, 1)},{reps}")]
        sizes = []
        for size in sorted(set(scales)):
            rows = max(round(options["activities"] * size / reps), 1)
            if size == reps and "import_s" in main:
                # Computed afresh, as team_page_alone measures the other sizes (a page
                # served from the cache would compare a lookup with a computation).
                team_ms = main.get("pages_team_cold_p50_ms")
                if team_ms is None:
                    measured = self._measure_growth(name, url, workdir, size, rows, options)
                    team_ms = measured["team_page_ms"]
                keys = ("import_s", "goals", "progress_s")
                sizes.append({"reps": size, "rows": options["activities"],
                              "team_page_ms": team_ms, **{k: main[k] for k in keys}})  # fmt: skip
                continue
            sizes.append(
                {"reps": size, **self._measure_growth(name, url, workdir, size, rows, options)}
            )
        return sizes

    def _measure_growth(
        self, name: str, url: str, workdir: Path, size: int, rows: int, options: dict
    ) -> dict:
        scaled = url if size == options["reps"] else _scaled_url(url, size)
        env = {**os.environ, "PACESETTER_DATABASE_URL": scaled}
        meta = workdir / (f"{name}.json" if scaled == url else f"{name}-{size}.json")
        as_of = self._prepare(name, scaled, env, meta, {**options, "reps": size})
        self.stderr.write(f"[{name}] growth: measuring {size:,} reps…")
        return _run_measure(name, env, ["--growth-only", "--today", as_of,
                                        "--activities", str(rows)])  # fmt: skip

    def _prepare(self, name: str, url: str, env: dict, meta_path: Path, options: dict) -> str:
        """Build (or reuse) the large demo in this database; returns its as-of date."""
        wanted = {"reps": options["reps"], "months": options["months"]}
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        if not options["fresh"] and {k: meta.get(k) for k in wanted} == wanted:
            # Reused: bring its schema up to date (new indexes, say) and go.
            subprocess.run([sys.executable, "-m", "pacesetter", "migrate", "-v0"], env=env,
                           check=True, stdout=sys.stderr)  # fmt: skip
            return str(meta["as_of"])
        self.stderr.write(f"[{name}] building the demo org: {wanted} (once; reused later)…")
        if name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
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
        return str(meta["as_of"])
