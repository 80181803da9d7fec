"""``pacesetter rewards``: the payout report as a table, JSON, CSV or a workbook (whose cells
never run as formulas), the rules with their exposure, activation, and the plan rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError
from openpyxl import load_workbook

from pacesetter.conftest import run_command
from pacesetter.rewards.models import Award, Program, Reward, Rule
from pacesetter.rewards.selectors import program_rows
from pacesetter.rewards.spreadsheet import neutralise

from .conftest import active_rule, make_goal

REPORT = "rewards --period 2026-11 --today 2026-12-02"


@pytest.fixture
def earned(small_org, books, revenue_goals, program, revenue_rule):
    """Alice met her goal, Bob did not, Charlie met his but the budget ran out for him."""
    program.budget = Decimal(400)
    program.save()
    books.won(small_org.alice, "12000")
    books.won(small_org.bob, "8000")
    books.won(small_org.charlie, "12000")
    return small_org


def test_the_table_lists_each_line_with_its_rule_and_goal_then_people_and_budgets(earned):
    out = run_command(REPORT)

    title, *_ = out.splitlines()
    assert title == (
        "Rewards for goals starting in 2026-11 (computed on 2026-12-02: 2 earned "
        "(1 unfunded), 0 reversed, 0 funded from freed budget, 0 unchanged)"
    )
    alice = next(line for line in out.splitlines() if line.startswith("Alice Adams"))
    for text in ("Monthly revenue met", "$250 bonus", "revenue_won", "2026-11", "earned",
                 "250.00", "yes", "$12,000.00 of $10,000.00"):  # fmt: skip
        assert text in alice
    charlie = next(line for line in out.splitlines() if line.startswith("Charlie Chen"))
    assert "no (over budget)" in charlie
    assert "Bob Brown" not in out
    budgets = out[out.index("Budgets") :]
    assert "FY26 incentives  2026-11  400.00     250.00     150.00" in budgets


def test_running_it_again_computes_nothing_new(earned):
    run_command(REPORT)

    assert "0 earned (0 unfunded), 0 reversed, 0 funded from freed budget, 2 unchanged" in (
        run_command(REPORT)
    )


def test_no_compute_only_reads(earned):
    out = run_command(REPORT + " --no-compute")

    assert "no rewards earned" in out and not Award.objects.exists()


def test_json_holds_the_lines_the_people_and_the_budgets(earned):
    doc = json.loads(run_command(REPORT + " --format json"))

    assert doc["period"] == "2026-11" and doc["computed"]["earned"] == 2
    assert [(line["person"], line["amount"], line["funded"]) for line in doc["lines"]] == [
        ("Alice Adams", "250.00", "yes"),
        ("Charlie Chen", "250.00", "no (over budget)"),
    ]
    assert doc["people"][1] == {
        "person": "Charlie Chen",
        "email": "charlie@example.com",
        "earned": 1,
        "reversed": 0,
        "cash": "0.00",
        "non_cash": "0.00",
        "total": "0.00",
        "unfunded": "250.00",
        "rewards": "",
    }
    assert doc["budgets"] == [
        {
            "program": "FY26 incentives",
            "period": "2026-11",
            "budget": "400.00",
            "committed": "250.00",
            "remaining": "150.00",
            "unfunded_awards": 1,
            "unfunded_value": "250.00",
        }
    ]


def test_csv_prints_the_lines_and_can_go_to_a_file(earned, tmp_path):
    rows = list(csv.DictReader(io.StringIO(run_command(REPORT + " --format csv"))))
    assert [(r["person"], r["rule"], r["goal"], r["entry"], r["amount"]) for r in rows] == [
        ("Alice Adams", "Monthly revenue met", "revenue_won", "earned", "250.00"),
        ("Charlie Chen", "Monthly revenue met", "revenue_won", "earned", "250.00"),
    ]

    out = run_command(REPORT + f" --no-compute --format csv --output {tmp_path / 'pay.csv'}")

    assert "wrote 2 line(s)" in out
    assert (tmp_path / "pay.csv").read_text().startswith("person,email,program,rule")


def test_one_person_or_one_unit(earned):
    run_command(REPORT)

    alice = run_command(REPORT + " --no-compute --person alice@example.com --format csv")
    beta = run_command(REPORT + " --no-compute --unit 'Team Beta' --format csv")

    assert "Alice Adams" in alice and "Charlie Chen" not in alice
    assert "Charlie Chen" in beta and "Alice Adams" not in beta
    with pytest.raises(CommandError, match="no person"):
        run_command(REPORT + " --person nobody@example.com")
    with pytest.raises(CommandError, match="bad period label"):
        run_command("rewards --period 2026-13")


def test_the_workbook_reads_back_with_numbers_as_numbers(earned, tmp_path):
    path = tmp_path / "payout.xlsx"

    run_command(REPORT + f" --format xlsx --output {path}")

    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Payout", "People", "Budgets"]
    payout = list(book["Payout"].values)
    assert payout[0][:4] == ("person", "email", "program", "rule")
    assert [(r[0], r[9]) for r in payout[1:]] == [("Alice Adams", 250), ("Charlie Chen", 250)]
    budget = list(book["Budgets"].values)[1]
    assert budget[:5] == ("FY26 incentives", "2026-11", 400, 250, 150)


def test_workbook_cells_from_user_data_never_run_as_formulas(earned, tmp_path):
    alice = earned.alice
    alice.full_name = '=HYPERLINK("http://evil.example","click")'
    alice.save()
    Rule.objects.update(name="+1 bonus rule")
    Reward.objects.update(name="@bonus")
    Program.objects.update(name="-budget")
    path = tmp_path / "payout.xlsx"

    run_command(REPORT + f" --format xlsx --output {path}")

    book = load_workbook(path)  # not read-only: a formula cell would say data_type "f"
    first = book["Payout"][2]
    values = [c.value for c in first[:5]]
    assert values == [
        '\'=HYPERLINK("http://evil.example","click")',
        "alice@example.com",
        "'-budget",
        "'+1 bonus rule",
        "'@bonus",
    ]
    assert all(c.data_type != "f" for row in book["Payout"].iter_rows() for c in row)
    assert book["Budgets"]["A2"].value == "'-budget"


def test_neutralise_leaves_ordinary_text_and_numbers_alone():
    assert neutralise("Alice") == "Alice"
    assert neutralise(Decimal("-250.00")) == Decimal("-250.00")
    assert neutralise("\tTAB") == "'\tTAB"


def test_xlsx_needs_a_file(earned):
    with pytest.raises(CommandError, match="--output"):
        run_command(REPORT + " --format xlsx")


def test_rules_lists_each_rule_with_its_exposure_against_the_budget(earned):
    out = run_command("rewards rules --today 2026-11-10")

    line = next(line for line in out.splitlines() if "Monthly revenue met" in line)
    assert "monthly revenue_won goal met" in line
    assert "$250.00 cash" in line
    assert "over budget in 2026-11" in line  # 3 × $250 > $400


def test_activate_refuses_a_rule_over_budget_unless_told(earned, bonus):
    rule = Rule.objects.create(program=Program.objects.get(), reward=bonus, name="Extra",
                               trigger=Rule.Trigger.GOAL_MET, metric="revenue_won")  # fmt: skip

    with pytest.raises(CommandError, match="OVER BUDGET by") as refused:
        run_command(f"rewards activate {rule.pk} --today 2026-11-10")
    assert "--over-budget" in str(refused.value)

    out = run_command(f"rewards activate {rule.pk} --over-budget --today 2026-11-10")

    assert out.startswith("activated OVER BUDGET (override recorded)")
    rule.refresh_from_db()
    assert rule.status == Rule.Status.ACTIVE and rule.over_budget_override
    with pytest.raises(CommandError, match="no rule with id"):
        run_command("rewards activate 999999")


def test_program_rows_give_the_workbook_one_row_per_active_rule(earned, bonus):
    Rule.objects.create(program=Program.objects.get(), reward=bonus, name="Draft one",
                        trigger=Rule.Trigger.GOAL_MET)  # fmt: skip
    Program.objects.create(name="Last year", budget=1, starts_on="2025-01-01",
                           ends_on="2026-01-01")  # fmt: skip

    assert program_rows(2026) == [
        {
            "program": "FY26 incentives",
            "rule": "Monthly revenue met",
            "trigger": "monthly revenue_won goal met",
            "reward": "$250 bonus",
            "value": "$250.00",
            "budget": "$400.00 a month",
            "period": "from 2026-01-01",
        }
    ]
    assert program_rows(2025) == []


def test_a_teams_workbook_lists_only_the_programs_that_reach_the_team(small_org, earned, bonus):
    """Company-wide programs and those of the team or a unit above it; never another team's."""
    for name, unit in (("Beta blitz", small_org.beta), ("Americas push", small_org.region)):
        program = Program.objects.create(name=name, budget=100, starts_on="2026-01-01", unit=unit)
        Rule.objects.create(program=program, reward=bonus, name=f"{name} rule",
                            trigger=Rule.Trigger.GOAL_MET, status=Rule.Status.ACTIVE)  # fmt: skip
    alpha = [row["program"] for row in program_rows(2026, unit_ids=[small_org.alpha.pk])]
    assert alpha == ["Americas push (Americas)", "FY26 incentives"]
    beta = [row["program"] for row in program_rows(2026, unit_ids=[small_org.beta.pk])]
    assert beta == ["Americas push (Americas)", "Beta blitz (Team Beta)", "FY26 incentives"]


def test_a_week_or_a_whole_year(small_org, books, program, bonus):
    make_goal("demos_held", 3, person=small_org.alice, start=dt.date(2026, 11, 2),
              end=dt.date(2026, 11, 9), period_kind="week")  # fmt: skip
    active_rule(program, bonus, "Weekly demos", metric="demos_held", period_kind="week")
    books.activities(small_org.alice, "demo", 3, dt.date(2026, 11, 4))

    week = list(csv.DictReader(io.StringIO(
        run_command("rewards --period 2026-W45 --today 2026-11-10 --format csv"))))  # fmt: skip
    before = list(csv.DictReader(io.StringIO(
        run_command("rewards --period 2026-W44 --today 2026-11-10 --format csv"))))  # fmt: skip
    year = run_command("rewards --period 2026 --today 2026-11-10 --no-compute --format json")

    assert [(r["person"], r["period"], r["amount"]) for r in week] == [
        ("Alice Adams", "2026-W45", "250.00")
    ]
    assert before == []
    assert len(json.loads(year)["lines"]) == 1
