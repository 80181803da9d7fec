"""One database's measurements, run in a process configured for that database."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from pacesetter.bench.baseline import import_baseline, progress_baseline
from pacesetter.bench.load import import_command, load_during_import
from pacesetter.bench.memory import ledger_in_memory, progress_in_memory
from pacesetter.bench.pages import ALONE, EACH, pages_under_load, team_page_alone
from pacesetter.ledger.models import AccountMonth, Activity, ActivityMonth
from pacesetter.ledger.rollups import RollupDeltas
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Person, Role, Unit
from pacesetter.planning.calendar import add_months
from pacesetter.tracking.org_progress import org_progress
from pacesetter.tracking.progress import goal_progress
from pacesetter.tracking.selectors import goals_overlapping, scope_of_unit

KINDS = (("email", 45), ("call", 30), ("meeting_booked", 5), ("meeting", 4), ("demo", 4),
         ("article", 1))  # fmt: skip
SOURCE = "bench"


def write_activities_csv(path: Path, rows: int, month: dt.date, seed: int = 1) -> None:
    """``rows`` activities of existing reps in ``month``, as a CRM export would give them."""
    rng = random.Random(seed)
    reps = list(
        Person.objects.filter(roles__kind=Role.Kind.REP, leave_date__isnull=True).values_list(
            "email", flat=True
        )
    )
    kinds = [k for k, weight in KINDS for _ in range(weight)]
    days = (add_months(month, 1) - month).days
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "person", "type", "occurred", "account", "segment"])
        for n in range(rows):
            moment = dt.datetime.combine(
                month + dt.timedelta(days=rng.randrange(days)), dt.time(8)
            ) + dt.timedelta(seconds=rng.randrange(10 * 3600))
            writer.writerow([f"bench-{n}", rng.choice(reps), rng.choice(kinds),
                             moment.isoformat(" "), "", ""])  # fmt: skip


def timed(fn, *args: Any, repeat: int = 1, **kwargs: Any) -> tuple[float, Any]:
    """The median wall time of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run_import_process(path: Path) -> tuple[float, int, int, str]:
    """``pacesetter import activities FILE`` in its own process: seconds, exit code, peak
    resident memory in KiB (of that process alone), and the tail of its output."""
    command = [sys.executable, "-m", "pacesetter", "import", "activities", str(path),
               "--source", SOURCE]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=os.environ.copy())  # fmt: skip
    assert process.stdout is not None  # stdout=PIPE
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, process.returncode, usage.ru_maxrss, output[-2000:]


def settle() -> None:
    """Vacuum after the import and its undo, as autovacuum would before long: a million
    deleted rows (and the rollup rows they updated) left as dead tuples slow every scan on
    PostgreSQL — ours and the baseline's alike — by half. SQLite reuses freed pages."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = (m._meta.db_table for m in (Activity, ActivityMonth, AccountMonth))
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def undo_import() -> None:
    """Take the imported rows out again, and their counts out of the rollups (which the
    importer must have put in: a negative rollup here means it did not)."""
    zone = OrgSettings.load().zone
    with transaction.atomic():
        deltas = RollupDeltas(zone)
        rows = Activity.objects.filter(source=SOURCE).values_list(
            "person_id", "occurred_at", "kind", "segment", "account_id"
        )
        for person_id, moment, kind, segment, account in rows.iterator(chunk_size=20_000):
            deltas.activity(person_id, moment, kind, segment, sign=-1, account_id=account)
        Activity.objects.filter(source=SOURCE).delete()
        deltas.flush()


def _activities_csv(workdir: Path, rows: int, month: dt.date) -> Path:
    """The CSV of ``rows`` activities of this org's reps (written once, then reused)."""
    reps = Person.objects.filter(roles__kind=Role.Kind.REP).count()
    path = workdir / f"activities-{rows}-of-{reps}-reps.csv"
    if not path.exists():
        write_activities_csv(path, rows, month)
    return path


def _analyze_and_tidy() -> None:
    with connection.cursor() as cursor:  # planner statistics, as after any bulk load
        cursor.execute("ANALYZE")
    if Activity.objects.filter(source=SOURCE).exists():  # left over from an interrupted run
        undo_import()


def measure(
    workdir: Path, rows: int, today: dt.date, skip: frozenset[str],
    page_requests: tuple[int, int] = (ALONE, EACH),
) -> dict[str, Any]:  # fmt: skip
    """Every measurement of the benchmark on the database this process is configured for,
    but the parts named in ``skip`` (``in-memory``, ``pages``); ``page_requests``: each
    page's requests alone, and per client at once."""
    zone = OrgSettings.load().zone
    month = today.replace(day=1)
    results: dict[str, Any] = {"database": connection.vendor, "rows": rows, "today": str(today)}
    _analyze_and_tidy()

    # Import: ours (a separate process, for its peak memory) against the raw loader.
    path = _activities_csv(workdir, rows, month)
    results["import_baseline_s"], _ = timed(import_baseline, path, zone)
    seconds, code, peak_kib, output = run_import_process(path)
    results.update(import_s=seconds, import_exit=code, import_peak_mib=peak_kib / 1024)
    if code != 0:
        results["import_error"] = output
    else:
        results["import_rows_per_s"] = rows / seconds
        second, code, _, output = run_import_process(path)  # idempotent: nothing changes
        results["reimport_s"] = second
        if code != 0:  # a re-import that failed fast must not pass for a fast one
            results["import_error"] = output
        undo_import()
        # The web meanwhile: reps browsing and saving their week while the import runs.
        results.update(load_during_import(import_command(path, SOURCE)).as_dict())
        undo_import()
    settle()

    # Org-wide progress for the month: every goal of every rep, against the baseline's raw
    # per-person scans of the same metrics and periods (like for like: the baseline has no
    # unit totals by membership history). Every goal of every unit too, reported beside it.
    # The goals go in unevaluated and in no particular order, as the `progress` command
    # hands them over (it sorts by attention afterwards): org_progress, set-wise, reads them
    # itself (one goal page's GoalProgress records, goal_progress, is "one team" below).
    def month_goals() -> QuerySet:
        return goals_overlapping(month, add_months(month, 1), ordered=False)

    goals = list(month_goals().filter(person__isnull=False))
    results["goals"] = len(goals)
    results["progress_s"], _ = timed(
        lambda: org_progress(month_goals().filter(person__isnull=False), today), repeat=3
    )
    results["all_goals"] = month_goals().count()
    results["all_progress_s"], _ = timed(lambda: org_progress(month_goals(), today), repeat=3)
    groups = {(g.metric, g.period_start, g.period_end): None for g in goals}
    metrics = {m.name: m for m in Metric.objects.all()}
    results["progress_baseline_s"], _ = timed(progress_baseline, groups, metrics, zone, repeat=3)

    # One team: its members' goals and its own.
    team = Unit.objects.filter(kind=Unit.Kind.TEAM).order_by("id").first()
    assert team is not None, "the benchmark's org has teams"
    people, units = scope_of_unit(team.pk, month, add_months(month, 1))

    def team_progress() -> list:
        team_goals = goals_overlapping(
            month, add_months(month, 1), person_ids=people, unit_ids=units
        )
        return goal_progress(list(team_goals), today)

    results["team_progress_s"], team_results = timed(team_progress, repeat=5)
    results["team_goals"] = len(team_results)
    counts: dict[str, int] = defaultdict(int)
    for g in goals:
        counts[g.metric] += 1
    results["goals_by_metric"] = dict(counts)

    if "in-memory" not in skip:  # the same values from rows already in memory (polars)
        results["memory_load_s"], ledger = timed(ledger_in_memory, groups, zone)
        results["memory_rows"] = ledger.rows
        results["memory_s"], _ = timed(progress_in_memory, ledger, groups, metrics, zone, repeat=3)
        del ledger
    if "pages" not in skip:  # the team page and the rep's page, served under load
        results.update(pages_under_load(today, page_requests))
    return results


def measure_growth(workdir: Path, rows: int, today: dt.date) -> dict[str, Any]:
    """The measures that growth compares across org sizes, on this database: importing
    ``rows`` activities, org-wide progress for the month, the biggest team's page alone."""
    month = today.replace(day=1)
    _analyze_and_tidy()
    path = _activities_csv(workdir, rows, month)
    seconds, code, _, output = run_import_process(path)
    if code != 0:
        raise RuntimeError(f"the import failed:\n{output}")
    undo_import()
    settle()
    rep_goals = goals_overlapping(month, add_months(month, 1), ordered=False).filter(
        person__isnull=False
    )
    progress_s, _ = timed(lambda: org_progress(rep_goals.all(), today), repeat=3)
    return {
        "database": connection.vendor,
        "rows": rows,
        "import_s": seconds,
        "goals": rep_goals.count(),
        "progress_s": progress_s,
        "team_page_ms": team_page_alone(today),
    }
