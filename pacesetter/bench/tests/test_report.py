"""The printed table: each line judged against its target, and growth told per rep."""

from __future__ import annotations

from decimal import Decimal

from pacesetter.bench.report import growth_rows, summary_rows

SIZES = [
    {"reps": 2000, "progress_s": 1.0, "team_page_ms": 40.0, "import_s": 100.0},
    {"reps": 500, "progress_s": 0.2, "team_page_ms": 40.0, "import_s": 25.0},
]


def test_growth_compares_each_org_with_the_smallest_in_total_and_per_rep():
    rows = {r["measure"]: r for r in growth_rows("sqlite", SIZES)}
    progress = rows["growth 500 → 2,000 reps: org-wide progress (s)"]
    assert (progress["ours"], progress["baseline"], progress["ratio"]) == (
        Decimal("1.000"), Decimal("0.200"), Decimal("5.00"))  # fmt: skip
    assert progress["target"] == "≤ 4× (linear) ✘"
    per_rep = rows["growth 500 → 2,000 reps: org-wide progress, per rep (ms)"]
    assert (per_rep["ours"], per_rep["baseline"]) == (Decimal("0.500"), Decimal("0.400"))
    assert per_rep["target"] == "≤ 1× (≤ linear) ✘"
    team = rows["growth 500 → 2,000 reps: team page computed afresh, p50 wall (ms)"]
    assert team["ratio"] == Decimal("1.00") and team["target"].endswith("✔")
    imported = rows["growth 500 → 2,000 reps: import, activities ∝ reps, per rep (ms)"]
    assert imported["ratio"] == Decimal("1.00") and imported["target"].endswith("✔")
    assert len(rows) == 6
    assert growth_rows("sqlite", SIZES[:1]) == []


def test_lines_are_judged_by_their_ratio_or_their_value():
    result = {
        "database": "postgresql", "rows": 10, "import_s": 4.0, "import_baseline_s": 1.0,
        "reimport_s": 1.0, "import_peak_mib": 100.0, "goals": 5, "progress_s": 0.5,
        "progress_baseline_s": 1.0, "memory_s": 0.1, "team_goals": 3,
        "team_progress_s": 0.04, "pages_team_goals": 3,
        **{f"pages_{page}_{key}": value for page in ("team", "rep") for key, value in {
            "alone_p50_ms": 12.0, "alone_p95_ms": 20.0, "alone_server_p50_ms": 11.0,
            "alone_cached": 1.0, "cold_p50_ms": 90.0, "cold_server_p50_ms": 85.0,
            "cold_cached": 0.0,
            "p50_ms": 30.0, "p95_ms": 45.0, "server_p95_ms": 40.0, "cached": 0.9,
            "requests": 200, "clients": 10, "per_s": 50.0, "errors": 0}.items()},
    }  # fmt: skip
    rows = {r["measure"]: r["target"] for r in summary_rows([result])}
    assert rows["import 10 activities (s)"] == "≤ 1.5× ✘"  # 4× the raw COPY
    assert rows["re-import, nothing changes (s) vs the import"] == "≤ 0.3× ✔"  # 0.25×
    assert rows["org-wide progress, 5 rep goals (s)"] == "≤ 1× ✔"
    assert rows["org-wide progress, 5 rep goals (s) vs in-memory limit (polars)"] == "≤ 3× ✘"
    assert rows["one team, 3 goals (ms)"] == "≤ 50 ms ✔"
    assert rows["team page (3 goals) alone: p50, server time (ms)"] == "≤ 10 ms ✘"
    assert rows["rep page (/), 10 clients, 200 requests: p95 (ms)"] == "≤ 50 ms ✔"
    assert rows["rep page (/), 10 clients, 200 requests: errors"] == "0 ✔"
