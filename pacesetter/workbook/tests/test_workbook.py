"""The sales-plan workbook: exported for printing and handing out, edited, read back.

The small org (pacesetter/conftest.py) with a flat 2027 plan of $1,200,000: every month is
$100,000; Team Alpha carries two of the three reps' capacity ($66,666.67: Alice $33,333.34,
Bob $33,333.33) and Team Beta one (Charlie $33,333.33). On a team sheet the reps sit from
row 6 in name order (Alice 6, Bob 7), then the reps' total (8) and the team target (9);
January is column D, March F, December O and the year P.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pacesetter.conftest import make_person, run_command
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.goals.services import CascadeOptions, plan_create_cascade
from pacesetter.ledger.models import Activity, Deal
from pacesetter.org.models import Membership, Role
from pacesetter.org.selectors import subtree_ids
from pacesetter.workbook import parse_quota, plan_workbook_bytes, plan_workbook_import

AS_OF = dt.date(2026, 11, 26)
MARCH = dt.date(2027, 3, 1)
ALICE, BOB, TOTAL, TEAM = 6, 7, 8, 9
JAN, MAR, APR, DEC, YEAR = 4, 6, 7, 15, 16
SOURCE_RATES = ("demo:deal=0.5", "call:demo=0.3")


def make_plan(over_assign: Decimal = Decimal("1"), **kwargs) -> Plan:
    options = {
        "name": "FY27",
        "year": 2027,
        "annual_target": Decimal("1200000"),
        "as_of": AS_OF,
    }
    options.update(kwargs)
    shape = CascadeOptions(seasonality="flat", over_assign=over_assign)
    return plan_create_cascade(**options, options=shape)


def exported(plan: Plan, **options):
    """The workbook as a spreadsheet program would open it (formulas as formulas)."""
    options.setdefault("incentives", [])
    options.setdefault("today", AS_OF)
    return load_workbook(io.BytesIO(plan_workbook_bytes(plan, **options)))


def saved(book, tmp_path, name: str = "edited.xlsx"):
    path = tmp_path / name
    book.save(path)
    return path


def money(value) -> Decimal:
    """A number cell read back, as the exact amount it shows."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def every_level_adds_up(plan: Plan) -> None:
    for month in {line.month for line in plan.lines.all()}:
        lines = list(plan.lines.filter(month=month))
        company = sum(ln.target for ln in lines if ln.level == "company")
        units = sum(ln.target for ln in lines if ln.level == "unit")
        teams = sum(ln.target for ln in lines if ln.level == "team")
        people = sum(ln.target for ln in lines if ln.level in ("person", "seat"))
        assert company == units == teams == people, month
    company_year = sum(ln.target for ln in plan.lines.filter(level="company"))
    assert plan.annual_target == company_year


# --- export ---------------------------------------------------------------------------


def test_a_sheet_per_team_with_monthly_quotas_that_add_up_exactly(small_org):
    book = exported(make_plan())
    assert book.sheetnames == [
        "Plan", "Team Alpha", "Team Beta", "Activity plan", "Stretch tiers", "Incentives",
    ]  # fmt: skip
    alpha = book["Team Alpha"]
    assert [alpha.cell(r, 2).value for r in (ALICE, BOB, TOTAL, TEAM)] == [
        "Alice Adams", "Bob Brown", "Reps' quotas", "Team target",
    ]  # fmt: skip
    assert alpha.cell(ALICE, 3).value == "alice@example.com"
    assert money(alpha.cell(ALICE, MAR).value) == Decimal("33333.34")
    assert money(alpha.cell(BOB, MAR).value) == Decimal("33333.33")
    assert money(alpha.cell(TOTAL, MAR).value) == Decimal("66666.67")
    assert money(alpha.cell(TEAM, MAR).value) == Decimal("66666.67")
    for row in (ALICE, BOB, TOTAL, TEAM):  # the year is the exact sum of the months shown
        months = sum(money(alpha.cell(row, c).value) for c in range(JAN, DEC + 1))
        assert money(alpha.cell(row, YEAR).value) == months
    assert money(alpha.cell(TOTAL, YEAR).value) == Decimal("800000.04")
    overview = book["Plan"]
    units = {overview.cell(r, 2).value: r for r in range(6, 10)}
    assert set(units) == {"Northwind", "Americas", "Team Alpha", "Team Beta"}
    assert money(overview.cell(units["Northwind"], YEAR).value) == Decimal("1200000")
    teams_year = sum(
        money(overview.cell(units[t], YEAR).value) for t in ("Team Alpha", "Team Beta")
    )
    assert teams_year == Decimal("1200000")


def test_every_sheet_carries_the_header_band_and_is_set_up_for_printing(small_org):
    plan = make_plan()
    book = exported(plan)
    for sheet in book.worksheets:
        band = [sheet.cell(2, c).value for c in range(1, 9)]
        assert band == ["Plan", "FY27", "Version", 1, "Status", "Draft", "Fiscal year",
                        "2027 (2027-01 to 2027-12)"], sheet.title  # fmt: skip
        assert sheet.cell(3, 1).value == "Plan id" and sheet.cell(3, 2).value == plan.pk
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$5"  # the band and the header on every page
        assert sheet.protection.sheet
    alpha = book["Team Alpha"]
    assert alpha.freeze_panes == "D6"
    assert alpha.cell(5, MAR).value.date() == MARCH  # a real date, shown as "Mar 2027"
    assert alpha.cell(5, MAR).number_format == "mmm yyyy"
    assert alpha.cell(ALICE, MAR).number_format == "#,##0.00"
    assert alpha.column_dimensions["B"].width == 28
    # Only the quotas take input; names, keys and totals are locked.
    assert not alpha.cell(ALICE, MAR).protection.locked
    assert alpha.cell(ALICE, 2).protection.locked and alpha.cell(TOTAL, MAR).protection.locked
    assert str(alpha.data_validations.dataValidation[0].sqref) == "D6:O7"


def test_text_from_people_comes_out_as_text_and_numbers_stay_numbers(small_org, tmp_path):
    small_org.bob.full_name = '=HYPERLINK("http://evil.example","click")'
    small_org.bob.save()
    small_org.beta.name = "+Beta"
    small_org.beta.save()
    plan = make_plan()
    incentives = [
        {"program": "@SUM(A1)", "rule": "-1+1", "trigger": "\tweekly goal", "reward": "Golf",
         "value": "-50", "budget": "$1,250.00", "period": "2027"},
    ]  # fmt: skip
    data = plan_workbook_bytes(plan, incentives=incentives, today=AS_OF)
    book = load_workbook(io.BytesIO(data))
    alpha = book["Team Alpha"]
    row = next(r for r in range(6, 9) if alpha.cell(r, 1).value == f"person-{small_org.bob.pk}")
    bob = alpha.cell(row, 2)
    assert bob.value == '\'=HYPERLINK("http://evil.example","click")' and bob.data_type == "s"
    assert book["+Beta"].cell(3, 6).value == "'+Beta"
    row = [c.value for c in book["Incentives"][6]]
    assert row[:4] == ["'@SUM(A1)", "'-1+1", "'\tweekly goal", "Golf"]
    assert row[4] == -50 and row[5] == 1250  # negative and money amounts are numbers
    formulas = [c.coordinate for s in book.worksheets for r in s.iter_rows() for c in r
                if c.data_type == "f"]  # fmt: skip
    assert formulas == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    # The neutralised names read back as the same people: nothing to import.
    result = plan_workbook_import(saved(book, tmp_path))
    assert result.errors == [] and result.changes == []


def test_the_activity_sheet_turns_4000_into_4_deals_8_demos_27_calls(small_org):
    plan = make_plan()
    plan.lines.filter(person=small_org.alice, month=MARCH).update(target=Decimal("4000"))
    sheet = exported(plan, rates=SOURCE_RATES, deal_size=Decimal("1000"))["Activity plan"]
    rows = {
        (sheet.cell(r, 2).value, sheet.cell(r, 3).value): r for r in range(6, sheet.max_row + 1)
    }
    quota = rows[("Alice Adams", "Quota")]
    assert money(sheet.cell(quota, MAR).value) == Decimal("4000")
    assert sheet.cell(quota, 17).value == 1000  # deal size
    assert sheet.cell(quota, 18).value == "demo→deal 50 %, call→demo 30 %"
    assert sheet.cell(rows[("Alice Adams", "Deals won")], MAR).value == 4
    assert sheet.cell(rows[("Alice Adams", "Demos held")], MAR).value == 8
    assert sheet.cell(rows[("Alice Adams", "Calls made")], MAR).value == 27  # 26.67 up
    # January's $33,333.34: 34 deals, 68 demos, 227 calls (226.67 rounded up).
    assert sheet.cell(rows[("Alice Adams", "Calls made")], JAN).value == 227
    calls = rows[("Alice Adams", "Calls made")]
    months = sum(sheet.cell(calls, c).value for c in range(JAN, DEC + 1))
    assert sheet.cell(calls, YEAR).value == months == 227 * 11 + 27


def _history(person, calls: int, demos: int, won: int, day: dt.date) -> None:
    moment = dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)
    Activity.objects.bulk_create(
        Activity(source="t", external_id=f"{person.pk}-{kind}-{n}", kind=kind, person=person,
                 occurred_at=moment + dt.timedelta(minutes=n))
        for kind, count in (("call", calls), ("demo", demos))
        for n in range(count)
    )  # fmt: skip
    Deal.objects.bulk_create(
        Deal(source="t", external_id=f"{person.pk}-d{n}", owner=person, amount=Decimal(1000),
             stage="Closed Won", status="won", created_on=day, closed_on=day)
        for n in range(won)
    )  # fmt: skip


def test_the_activity_plan_comes_from_each_reps_own_rates(small_org):
    # May–October 2026 (the six whole months before 26 November): Alice made 200 calls,
    # held 60 demos and won 30 deals of $1,000: 30 % of calls became demos, 50 % of demos
    # deals — the source's rates — and 30 deals are a full history of her own.
    _history(small_org.alice, 200, 60, 30, dt.date(2026, 6, 10))
    plan = make_plan()
    plan.lines.filter(person__in=[small_org.alice, small_org.bob], month=MARCH).update(
        target=Decimal("4000")
    )
    sheet = exported(plan)["Activity plan"]
    rows = {
        (sheet.cell(r, 2).value, sheet.cell(r, 3).value): r for r in range(6, sheet.max_row + 1)
    }
    alice = rows[("Alice Adams", "Quota")]
    assert sheet.cell(alice, 19).value == "100 % own history (30 deals)"
    assert [sheet.cell(rows[("Alice Adams", s)], MAR).value
            for s in ("Deals won", "Demos held", "Calls made")] == [4, 8, 27]  # fmt: skip
    # Bob has no history of his own: his team's rates (Alice's, the only ones in it).
    assert sheet.cell(rows[("Bob Brown", "Quota")], 19).value == "100 % team (no own history)"
    assert sheet.cell(rows[("Bob Brown", "Calls made")], MAR).value == 27
    # Team Beta has no history at all: no activity rows, and the sheet says why.
    charlie = rows[("Charlie Chen", "Quota")]
    assert "not enough history in Team Beta" in sheet.cell(charlie, 19).value
    assert ("Charlie Chen", "Deals won") not in rows


def test_stretch_tiers_are_125_percent_of_each_quota_unless_told(small_org):
    plan = make_plan()
    sheet = exported(plan)["Stretch tiers"]
    assert sheet.cell(7, 3).value == "Stretch 125 %"
    assert money(sheet.cell(6, MAR).value) == Decimal("33333.34")
    assert money(sheet.cell(7, MAR).value) == Decimal("41666.68")
    assert money(sheet.cell(7, YEAR).value) == Decimal("41666.68") * 12
    other = exported(plan, stretch_percent=Decimal("150"))["Stretch tiers"]
    assert other.cell(7, 3).value == "Stretch 150 %"
    assert money(other.cell(7, MAR).value) == Decimal("50000.01")


def test_the_incentive_sheet_lists_the_programs_given(small_org):
    plan = make_plan()
    programs = [
        {"program": "Q1 push", "rule": "Monthly goal met", "trigger": "100 % of the month",
         "reward": "Cash", "value": "500", "budget": "5000", "period": "2027-Q1"},
        {"program": "Team happy hour", "rule": "Everyone at goal", "trigger": "collective",
         "reward": "Happy hour", "value": "", "budget": "", "period": "monthly"},
    ]  # fmt: skip
    sheet = exported(plan, incentives=programs)["Incentives"]
    assert [c.value for c in sheet[5]][:7] == [
        "Program", "Rule", "Trigger", "Reward", "Value", "Budget", "Period",
    ]  # fmt: skip
    assert [c.value for c in sheet[6]][:7] == [
        "Q1 push", "Monthly goal met", "100 % of the month", "Cash", 500, 5000, "2027-Q1",
    ]  # fmt: skip
    assert sheet.cell(7, 4).value == "Happy hour" and sheet.cell(7, 5).value is None
    empty = exported(plan, incentives=[])["Incentives"]
    assert empty.cell(6, 1).value == "No incentive programs yet."


def test_a_managers_workbook_holds_their_own_team_only(small_org):
    book = exported(make_plan(), unit_ids=subtree_ids([small_org.alpha.pk]))
    assert book.sheetnames == [
        "Plan", "Team Alpha", "Activity plan", "Stretch tiers", "Incentives",
    ]  # fmt: skip
    assert book["Plan"].cell(6, 2).value == "Team Alpha" and book["Plan"].cell(7, 2).value is None
    cells = {str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r}
    assert not {"Charlie Chen", "Team Beta", "Northwind", "Americas"} & cells


def test_the_export_reads_a_fixed_number_of_queries_however_many_reps(small_org):
    def queries() -> int:
        plan = make_plan(name=f"Q{Plan.objects.count()}")
        with CaptureQueriesContext(connection) as ctx:
            plan_workbook_bytes(plan, incentives=[], today=AS_OF)
        return len(ctx.captured_queries)

    few = queries()
    for i in range(8):
        rep = make_person(f"Extra{i} Rep")
        Role.objects.create(person=rep, kind=Role.Kind.REP)
        Membership.objects.create(person=rep, unit=small_org.beta, valid_from=dt.date(2025, 1, 1))
    # The plan's lines, the unit tree, the org settings, activities and deals won.
    assert queries() == few <= 6


# --- import ---------------------------------------------------------------------------


def test_edited_quotas_become_a_new_draft_that_still_adds_up(small_org, tmp_path):
    source = make_plan()
    source_lines = {(ln.pk, ln.target) for ln in source.lines.all()}
    book = exported(source)
    book["Team Alpha"].cell(ALICE, MAR).value = 40000
    book["Team Alpha"].cell(BOB, APR).value = 0
    book["Team Beta"].cell(6, DEC).value = "12,345.67"  # typed as text: still a number
    result = plan_workbook_import(saved(book, tmp_path), filename="fy27-edited.xlsx")
    assert result.errors == []
    draft = result.plan
    assert (draft.name, draft.version, draft.status) == ("FY27", 2, "draft")
    assert {(c.who, f"{c.month:%Y-%m}", c.new) for c in result.changes} == {
        ("Alice Adams", "2027-03", Decimal("40000.00")),
        ("Bob Brown", "2027-04", Decimal("0.00")),
        ("Charlie Chen", "2027-12", Decimal("12345.67")),
    }

    def target(month: str, **who) -> Decimal:
        return draft.lines.get(month=dt.date.fromisoformat(month + "-01"), **who).target

    assert target("2027-03", person=small_org.alice) == Decimal("40000.00")
    assert target("2027-03", level="team", unit=small_org.alpha) == Decimal("73333.33")
    assert target("2027-03", level="unit", unit=small_org.region) == Decimal("106666.66")
    assert target("2027-03", level="company") == Decimal("106666.66")
    assert target("2027-04", level="team", unit=small_org.alpha) == Decimal("33333.34")
    assert target("2027-12", level="company") == Decimal("79012.34")
    assert target("2027-05", level="company") == Decimal("100000.00")  # untouched months
    every_level_adds_up(draft)
    assert draft.annual_target == Decimal("1200000") + Decimal("6666.66") - Decimal(
        "33333.33"
    ) - Decimal("20987.66")
    alice = draft.lines.get(month=MARCH, person=small_org.alice)
    assert alice.explanation == "$40,000.00 set in the workbook of FY27@1 (was $33,333.34)"
    note = draft.inputs["workbook"]
    assert note["source"] == "FY27@1" and note["file"] == "fy27-edited.xlsx"
    assert note["changed_quotas"] == 3 and note["teams"] == ["Team Alpha", "Team Beta"]
    assert draft.inputs["seasonality"] == "flat"  # what the cascade was given is kept
    # The version it came from is as it was.
    assert {(ln.pk, ln.target) for ln in source.lines.all()} == source_lines
    assert Plan.objects.get(pk=source.pk).status == "draft"


def test_an_over_assigned_plan_keeps_reps_above_their_team(small_org, tmp_path):
    source = make_plan(over_assign=Decimal("1.1"))
    book = exported(source)
    assert book["Team Alpha"].cell(TEAM, 3).value == "quotas add up to 110 %"
    book["Team Alpha"].cell(ALICE, MAR).value = 44000
    draft = plan_workbook_import(saved(book, tmp_path)).plan
    reps = sum(ln.target for ln in draft.lines.filter(month=MARCH, unit=small_org.alpha,
                                                      level="person"))  # fmt: skip
    team = draft.lines.get(month=MARCH, level="team", unit=small_org.alpha)
    assert team.target == (reps / Decimal("1.1")).quantize(Decimal("0.01"))
    assert "÷ 1.1 over-assignment" in team.explanation
    lines = list(draft.lines.filter(month=MARCH))
    company = sum(ln.target for ln in lines if ln.level == "company")
    assert company == sum(ln.target for ln in lines if ln.level == "team")


def test_an_unedited_workbook_changes_nothing_and_makes_no_version(small_org, tmp_path):
    source = make_plan()
    path = tmp_path / "as-exported.xlsx"
    path.write_bytes(plan_workbook_bytes(source, incentives=[], today=AS_OF))
    result = plan_workbook_import(path)
    assert result.errors == [] and result.changes == [] and result.plan is None
    assert "no quota differs from FY27@1; nothing imported, no new version" in result.summary()
    assert Plan.objects.count() == 1


def test_the_same_edited_workbook_imported_twice_makes_one_version(small_org, tmp_path):
    book = exported(make_plan())
    book["Team Alpha"].cell(ALICE, MAR).value = 35000
    path = saved(book, tmp_path)
    first = plan_workbook_import(path)
    second = plan_workbook_import(path)
    assert first.plan.label == "FY27@2"
    assert second.plan is None and second.duplicate_of == first.plan
    assert "already imported as FY27@2" in second.summary()
    assert Plan.objects.count() == 2


def test_a_dry_run_lists_the_changes_and_writes_nothing(small_org, tmp_path):
    book = exported(make_plan())
    book["Team Alpha"].cell(ALICE, MAR).value = 35000
    result = plan_workbook_import(saved(book, tmp_path), dry_run=True)
    assert [(c.who, c.old, c.new, c.change) for c in result.changes] == [
        ("Alice Adams", Decimal("33333.34"), Decimal("35000.00"), Decimal("1666.66"))
    ]
    assert result.plan is None and Plan.objects.count() == 1
    assert "would change (dry run)" in result.summary()


def _set(sheet: str, row: int, column: int, value):
    def edit(book):
        book[sheet].cell(row, column).value = value

    return edit


def _copy_row(book):
    alpha = book["Team Alpha"]
    alpha.insert_rows(BOB + 1)
    for column in range(1, YEAR + 1):
        alpha.cell(BOB + 1, column).value = alpha.cell(ALICE, column).value


def _new_row(key):
    def edit(book):
        alpha = book["Team Alpha"]
        alpha.insert_rows(BOB + 1)
        alpha.cell(BOB + 1, 1).value = key
        alpha.cell(BOB + 1, 2).value = "Zed Newcomer"
        for column in range(JAN, DEC + 1):
            alpha.cell(BOB + 1, column).value = 1000

    return edit


def _remove_bob(book):
    book["Team Alpha"].delete_rows(BOB)


BAD_EDITS = [
    ("not a number", _set("Team Alpha", ALICE, MAR, "lots"), ALICE, "F (2027-03)", "not a number"),
    ("negative", _set("Team Alpha", ALICE, MAR, -5), ALICE, "F (2027-03)", "negative"),
    ("empty", _set("Team Alpha", BOB, JAN, None), BOB, "D (2027-01)", "empty"),
    ("a date", _set("Team Alpha", BOB, JAN, dt.date(2027, 1, 5)), BOB, "D (2027-01)",
     "not a number"),
    ("unknown rep", _new_row("person-999999"), BOB + 1, "A (Key)", "unknown rep"),
    ("a row without a key", _new_row(None), BOB + 1, "A (Key)", "unknown rep"),
    ("unknown team", _set("Team Alpha", 3, 4, 999999), 3, "D (Team id)", "unknown team"),
    ("a month outside the year", _set("Team Alpha", 5, MAR, dt.date(2028, 3, 1)), 5,
     "F (2028-03)", "outside fiscal year 2027 (2027-01 to 2027-12)"),
    ("a month twice", _set("Team Alpha", 5, APR, "2027-03"), 5, "G (2027-03)",
     "duplicate month"),
    ("the plan id", _set("Plan", 3, 2, 424242), 3, "B (Plan id)", "locked cell changed"),
    ("the plan id of a team sheet", _set("Team Alpha", 3, 2, 424242), 3, "B (Plan id)",
     "locked cell changed"),
    ("the workbook key", _set("Plan", 3, 4, "forged"), 3, "D (Workbook key)",
     "does not verify"),
    ("a rep's name", _set("Team Alpha", ALICE, 2, "Alicia"), ALICE, "B (Rep)",
     "locked cell changed"),
    ("the team's name", _set("Team Alpha", 3, 6, "Team Omega"), 3, "F (Team)",
     "locked cell changed"),
    ("the reps' total", _set("Team Alpha", TOTAL, MAR, 1), TOTAL, "F (2027-03)",
     "locked cell changed"),
    ("the team target", _set("Team Alpha", TEAM, MAR, 1), TEAM, "F (2027-03)",
     "locked cell changed"),
    ("a duplicate row", _copy_row, BOB + 1, "A (Key)", "duplicate row"),
    ("a missing rep", _remove_bob, 5, "A (Key)", "Bob Brown's row is missing"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "row", "column", "reason"),
    [case[1:] for case in BAD_EDITS],
    ids=[case[0] for case in BAD_EDITS],
)
def test_a_bad_cell_is_reported_by_sheet_row_and_column_and_nothing_is_written(
    small_org, tmp_path, edit, row, column, reason
):
    book = exported(make_plan())
    book["Team Alpha"].cell(ALICE, JAN).value = 50000  # a good edit alongside the bad one
    edit(book)
    lines = PlanLine.objects.count()
    result = plan_workbook_import(saved(book, tmp_path))
    assert result.plan is None and result.changes == []
    assert Plan.objects.count() == 1 and PlanLine.objects.count() == lines
    assert any(e.row == row and e.column == column and reason in e.reason for e in result.errors), (
        result.errors
    )
    assert {e.sheet for e in result.errors} <= {"Plan", "Team Alpha"}


def _xlsx_like_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"person,month,quota\nalice,2027-03,5\n", "not an XLSX workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "an old binary .xls workbook"),
        (_xlsx_like_zip(), "not a readable XLSX workbook"),
        (b"", "the file is empty"),
    ],
    ids=["a csv", "an xls", "a zip", "empty"],
)
def test_a_file_that_is_not_a_plan_workbook_is_refused_whole(small_org, tmp_path, content, reason):
    make_plan()
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    result = plan_workbook_import(path)
    assert [(e.sheet, e.row) for e in result.errors] == [("", 1)]
    assert reason in result.errors[0].reason
    assert Plan.objects.count() == 1


def test_a_workbook_without_the_plan_sheet_is_not_a_plan_workbook(small_org, tmp_path):
    book = exported(make_plan())
    del book["Plan"]
    result = plan_workbook_import(saved(book, tmp_path))
    assert "not a plan workbook exported by Pacesetter" in result.errors[0].reason


def test_an_oversized_file_is_refused_before_it_is_read(small_org, tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(plan_workbook_bytes(make_plan(), incentives=[], today=AS_OF))
    result = plan_workbook_import(path, max_bytes=1000)
    assert "more than the limit of 1,000" in result.errors[0].reason


def test_an_uploader_changes_only_the_teams_they_manage(small_org, tmp_path):
    source = make_plan()
    book = exported(source)
    book["Team Beta"].cell(6, MAR).value = 1
    path = saved(book, tmp_path)
    alpha_only = subtree_ids([small_org.alpha.pk])
    refused = plan_workbook_import(path, unit_ids=alpha_only)
    assert [(e.sheet, e.row, e.reason) for e in refused.errors] == [
        ("Team Beta", 3, "you may not change the quotas of Team Beta")
    ]
    assert Plan.objects.count() == 1
    own = exported(source, unit_ids=alpha_only)
    own["Team Alpha"].cell(BOB, MAR).value = 30000
    result = plan_workbook_import(saved(own, tmp_path, "alpha.xlsx"), unit_ids=alpha_only)
    assert result.plan.label == "FY27@2"
    # Team Beta's lines are copied as they were: a team's workbook leaves other teams alone.
    beta = result.plan.lines.get(month=MARCH, person=small_org.charlie)
    assert beta.target == Decimal("33333.33")
    every_level_adds_up(result.plan)


def test_a_workbook_uploaded_on_another_plans_page_is_refused(small_org, tmp_path):
    first, other = make_plan(), make_plan(name="Other")
    path = tmp_path / "first.xlsx"
    path.write_bytes(plan_workbook_bytes(first, incentives=[], today=AS_OF))
    result = plan_workbook_import(path, plan=other)
    assert "this workbook is of plan FY27@1, not Other@1" in result.errors[0].reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4000, "4000.00"), (33333.34, "33333.34"), ("1,500", "1500.00"), ("$1,250.5", "1250.50"),
     (1000.005, "1000.01"), (0, "0.00")],
)  # fmt: skip
def test_a_quota_is_read_as_money_to_the_cent(value, expected):
    assert parse_quota(value) == Decimal(expected)


# --- the commands -----------------------------------------------------------------------


def test_export_writes_the_workbook_and_import_workbook_reads_it_back(small_org, tmp_path):
    make_plan()
    path = tmp_path / "fy27.xlsx"
    out = run_command(f"export plan FY27 --xlsx {path} --rate demo:deal=0.5 "
                      "--rate call:demo=0.3 --deal-size 1000")  # fmt: skip
    assert f"Wrote {path}: plan FY27@1 (Draft, FY2027), 2 team sheet(s)" in out
    assert "Team Alpha" in out and "800000.04" in out
    book = load_workbook(path)
    book["Team Alpha"].cell(ALICE, MAR).value = 35000
    book.save(path)
    checked = run_command(f"plan import-workbook {path} --dry-run")
    assert "1 quota(s) of Team Alpha would change (dry run)" in checked
    assert "Alice Adams" in checked and "1666.66" in checked
    assert Plan.objects.count() == 1
    done = run_command(f"plan import-workbook {path} --format json")
    assert '"plan": "FY27@2"' in done
    assert Plan.objects.get(name="FY27", version=2).status == "draft"


def test_export_of_one_team_and_a_bad_import_from_the_command_line(small_org, tmp_path):
    make_plan()
    path = tmp_path / "alpha.xlsx"
    run_command(f"export plan FY27@1 --xlsx {path} --unit 'Team Alpha'")
    book = load_workbook(path)
    assert "Team Beta" not in book.sheetnames
    book["Team Alpha"].cell(ALICE, MAR).value = "lots"
    book.save(path)
    with pytest.raises(CommandError, match="nothing imported: 1 problem"):
        run_command(f"plan import-workbook {path}")
    with pytest.raises(CommandError, match="no plan 'FY99'"):
        run_command(f"export plan FY99 --xlsx {path}")
    with pytest.raises(CommandError, match=r"name it \*\.xlsx"):
        run_command(f"export plan FY27 --xlsx {tmp_path / 'plan.csv'}")
