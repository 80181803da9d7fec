"""The benchmark's plumbing on a tiny org: it builds its demo database (and a smaller one for
growth), imports through the real command and the raw baseline, measures progress against
raw SQL and in memory, serves the pages under load, and writes var/bench.json. Timings are
not checked here (machines are noisy); that is what ``make bench`` is for."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys


def test_a_tiny_benchmark_runs_end_to_end_and_writes_its_report(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PACESETTER_DATABASE_URL"}
    env.update(PACESETTER_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="pacesetter.settings")
    done = subprocess.run(
        [sys.executable, "-m", "pacesetter", "bench", "--reps", "4", "--months", "2",
         "--activities", "300", "--databases", "sqlite", "--format", "json", "--scale", "2,4",
         "--page-requests", "10,3"],
        env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report == json.loads((tmp_path / "bench.json").read_text())
    (result,) = report["results"]
    assert result["database"] == "sqlite" and result["rows"] == 300
    assert "import_error" not in result and result["import_exit"] == 0
    # Every rep goal is measured, and the unit goals on top of them.
    assert 0 < result["goals"] < result["all_goals"]
    for key in ("import_s", "import_baseline_s", "reimport_s", "progress_s",
                "progress_baseline_s", "all_progress_s", "team_progress_s"):  # fmt: skip
        assert result[key] > 0, key
    # Reps browsed and saved their week while an import ran; none of their saves was lost
    # and the server never failed them.
    clients = result["load_clients"]  # the tiny org's reps still employed, each logged in
    assert clients >= 2 and result["load_requests"] >= clients * 3 * 2
    assert result["load_server_errors"] == 0 and result["load_lost_writes"] == 0
    # The in-memory limit read the ledger and computed the same groups.
    assert result["memory_rows"] > 0 and result["memory_s"] > 0
    # The team page and the rep's page answered every request, alone and ten at a time.
    assert result["pages_team_goals"] > 0
    for page in ("team", "rep"):
        assert result[f"pages_{page}_errors"] == 0, page
        assert result[f"pages_{page}_requests"] == result[f"pages_{page}_clients"] * 3
        assert 0 < result[f"pages_{page}_alone_p50_ms"] <= result[f"pages_{page}_alone_p95_ms"]
        # Nothing was written while one client asked alone: each of the server's two workers
        # (processes, each with its own cache) computed the page at most once, and the rest
        # of the ten answers came from its cache. After each write (by this process), none did.
        assert result[f"pages_{page}_alone_cached"] >= 0.8, page
        assert result[f"pages_{page}_cold_cached"] == 0.0, page
        assert result[f"pages_{page}_alone_server_p50_ms"] > 0
    # Growth: the 2-rep org was built beside the main one; the 4-rep figures are the main's.
    small, main = report["growth"]["sqlite"]
    assert (small["reps"], main["reps"]) == (2, 4)
    assert (small["rows"], main["rows"]) == (150, 300)
    assert main["progress_s"] == result["progress_s"] and small["team_page_ms"] > 0
    assert (tmp_path / "bench" / "bench-2.sqlite3").exists()
    # The import was undone: the demo database holds only the demo's own activities again.
    with sqlite3.connect(tmp_path / "bench" / "bench.sqlite3") as db:
        left = db.execute("SELECT COUNT(*) FROM ledger_activity WHERE source = 'bench'")
        assert left.fetchone() == (0,)
