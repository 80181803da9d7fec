"""The pages' downloads: the team grid, a scorecard, the leaderboards and plan against actual,
as CSV and XLSX — what the page shows, to whom the page shows it, numbers as numbers and
names that no spreadsheet runs as a formula.

``web_org`` (pinned to Wednesday 18 November 2026): Alice has done her 30 demos of 30, Bob
2 of 30; both in Team Alpha (Mia), Charlie in Team Beta; Rhea manages both, Olga is admin.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from pacesetter.coaching.selectors import scorecards_with_mentees
from pacesetter.conftest import PASSWORD
from pacesetter.planning import month_of
from pacesetter.web import exports
from pacesetter.web.tests.conftest import make_goal

HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(response):
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    book = load_workbook(io.BytesIO(response.content))
    [sheet] = book.worksheets
    return sheet


def _filename(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def _row(rows: list[list[str]], first: str) -> list[str]:
    [found] = [r for r in rows if r and r[0] == first]
    return found


# --- the team grid -------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_team_grid_as_csv_holds_each_reps_numbers(client, web_org):
    _login(client, "mia")
    url = reverse("unit_team_export", args=[web_org.org.alpha.pk, "csv"])
    # Built by the page's own builder: it costs no more than the page (one query per metric
    # and period, never one per rep).
    assert _queries(client, url) <= _queries(
        client, reverse("unit_team", args=[web_org.org.alpha.pk])
    )
    response = client.get(url)
    assert response.status_code == 200
    assert _filename(response) == "team-team-alpha-2026-11.csv"
    header, *rows = _csv(response)
    assert header[:2] == ["Rep", "Needs attention"]
    demos = [i for i, h in enumerate(header) if h.startswith("Demos held") and "actual" in h]
    assert demos, header
    i = demos[0]
    assert header[i + 1].endswith("target") and header[i + 2].endswith("attainment (%)")
    alice, bob = _row(rows, "Alice Adams"), _row(rows, "Bob Brown")
    assert [alice[i], alice[i + 1], alice[i + 2]] == ["30", "30", "100"]
    assert [bob[i], bob[i + 1]] == ["2", "30"]
    assert bob[1] == "behind"  # Bob needs a conversation; Alice does not
    assert alice[1] == ""
    assert [r[0] for r in rows if r[0] in ("Mia Manager", "Charlie Chen")] == []  # not Alpha's reps


def test_the_team_grid_as_xlsx_has_numbers_money_a_bold_frozen_header(client, web_org):
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    make_goal("revenue_won", start, end, 5000, person=web_org.org.alice, priority=2)
    _login(client, "mia")
    sheet = _sheet(client.get(reverse("unit_team_export", args=[web_org.org.alpha.pk, "xlsx"])))
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    alice = rows["Alice Adams"]
    target = alice[
        header.index(
            next(h for h in header if h.startswith("Revenue won") and h.endswith("target"))
        )
    ]
    assert (target.value, target.data_type, target.number_format) == (5000, "n", "#,##0.00")
    demos = alice[
        header.index(next(h for h in header if h.startswith("Demos held") and h.endswith("actual")))
    ]
    assert (demos.value, demos.data_type) == (30, "n")


def test_the_grid_keeps_the_pages_filters(client, web_org):
    _login(client, "mia")
    url = reverse("unit_team_export", args=[web_org.org.alpha.pk, "csv"])
    _header, *rows = _csv(client.get(url, {"status": "behind"}))
    assert [r[0] for r in rows] == ["Bob Brown"]


@pytest.mark.parametrize(
    ("username", "unit", "status"),
    [
        ("mia", "beta", 404),  # another subtree
        ("alice", "alpha", 404),  # a rep asking for her manager's grid
        ("charlie", "alpha", 404),
        ("rhea", "beta", 200),
        ("olga", "alpha", 200),
    ],
)
def test_the_grid_goes_to_whoever_may_open_the_team_page(client, web_org, username, unit, status):
    _login(client, username)
    unit_pk = getattr(web_org.org, unit).pk
    assert client.get(reverse("unit_team", args=[unit_pk])).status_code == status
    assert client.get(reverse("unit_team_export", args=[unit_pk, "xlsx"])).status_code == status


def test_an_unknown_format_is_not_found(client, web_org):
    _login(client, "olga")
    assert (
        client.get(reverse("unit_team_export", args=[web_org.org.alpha.pk, "pdf"])).status_code
        == 404
    )


def test_a_stranger_is_sent_to_log_in(client, web_org):
    response = client.get(reverse("unit_team_export", args=[web_org.org.alpha.pk, "csv"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- hostile names -------------------------------------------------------------------------------


def test_a_name_that_is_a_formula_is_written_as_text(client, web_org):
    web_org.org.alice.full_name = HOSTILE
    web_org.org.alice.save()
    _login(client, "mia")
    url = reverse("unit_team_export", args=[web_org.org.alpha.pk, "csv"])
    _header, *rows = _csv(client.get(url))
    assert "'" + HOSTILE in [r[0] for r in rows]
    sheet = _sheet(client.get(reverse("unit_team_export", args=[web_org.org.alpha.pk, "xlsx"])))
    names = [r[0] for r in sheet.iter_rows(min_row=2)]
    [alice] = [c for c in names if "HYPERLINK" in str(c.value)]
    assert (alice.value, alice.data_type) == ("'" + HOSTILE, "s")
    formulas = [c.coordinate for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_the_writers_keep_negative_numbers_numbers_and_neutralise_text():
    export = exports.Export(
        "x",
        "=evil",
        [exports.Column("=h"), exports.Column("n", "money")],
        [["-cmd", Decimal("-12.50")]],
    )
    [header, row] = list(csv.reader(io.StringIO(exports.csv_bytes(export).decode("utf-8-sig"))))
    assert header == ["'=h", "n"] and row == ["'-cmd", "-12.50"]
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(export))).worksheets[0]
    assert sheet.title == "=evil"  # a sheet's title is never run
    assert [c.value for c in sheet[2]] == ["'-cmd", Decimal("-12.5")]
    assert sheet["B2"].data_type == "n"


# --- a scorecard ---------------------------------------------------------------------------------


def test_a_scorecard_as_csv_lists_its_lines_and_score(client, web_org):
    _login(client, "alice")
    response = client.get(reverse("scorecard_export", args=[web_org.org.alice.pk, "csv"]))
    assert response.status_code == 200
    assert _filename(response) == "scorecard-alice-adams-2026-11.csv"
    header, *rows = _csv(response)
    assert header[:4] == ["Period", "Priority", "Goal", "Actual"]
    demos = _row([r[2:] for r in rows], "Demos held")
    assert demos[1:4] == ["30", "30", "100"]
    assert demos[-1] == "met"
    score = _row([r[2:] for r in rows], "Weighted score")
    card = scorecards_with_mentees([web_org.org.alice.pk], month_of(web_org.today), web_org.today)
    assert Decimal(score[5]) == card[web_org.org.alice.pk].score > 0


def test_a_scorecard_for_another_month_names_it(client, web_org):
    _login(client, "mia")
    url = reverse("scorecard_export", args=[web_org.org.alice.pk, "xlsx"])
    response = client.get(url, {"period": "2026-10"})
    assert _filename(response) == "scorecard-alice-adams-2026-10.xlsx"
    assert _sheet(response).freeze_panes == "A2"


@pytest.mark.parametrize(
    ("username", "person", "status"),
    [
        ("alice", "bob", 404),  # another rep's scorecard
        ("charlie", "alice", 404),
        ("mia", "charlie", 404),  # outside Mia's team
        ("rhea", "charlie", 200),
        ("bob", "bob", 200),
    ],
)
def test_a_scorecard_goes_to_the_person_their_managers_and_admins(
    client, web_org, username, person, status
):
    _login(client, username)
    pk = getattr(web_org.org, person).pk
    assert client.get(reverse("scorecard_export", args=[pk, "csv"])).status_code == status


# --- the leaderboards ----------------------------------------------------------------------------


def _competition(web_org):
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    return make_goal("demos_held", start, end, 60, unit=web_org.org.alpha, kind="competition")


def test_the_leaderboard_as_csv_ranks_as_the_page_does(client, web_org):
    _competition(web_org)
    _login(client, "alice")  # a rep sees her own team's board
    response = client.get(reverse("unit_competition_export", args=[web_org.org.alpha.pk, "csv"]))
    assert response.status_code == 200
    assert _filename(response) == "leaderboard-team-alpha-2026-11.csv"
    header, *rows = _csv(response)
    assert header[3:9] == ["Rank", "Tied", "Rep", "Value", "Target", "% of own goal"]
    assert [(r[3], r[5], r[6], r[7], r[8]) for r in rows] == [
        ("1", "Alice Adams", "30", "30", "100"),
        ("2", "Bob Brown", "2", "30", "6.7"),
    ]


def test_the_leaderboard_as_xlsx_and_raw(client, web_org):
    _competition(web_org)
    _login(client, "rhea")
    url = reverse("unit_competition_export", args=[web_org.org.alpha.pk, "xlsx"])
    sheet = _sheet(client.get(url, {"basis": "raw", "period": "2026-11"}))
    ranks = [(r[3].value, r[5].value, r[6].value) for r in sheet.iter_rows(min_row=2)]
    assert ranks == [(1, "Alice Adams", 30), (2, "Bob Brown", 2)]


@pytest.mark.parametrize(
    ("username", "unit", "status"),
    [
        ("charlie", "alpha", 404),  # a rep of another team
        ("mia", "beta", 404),  # a manager of another subtree
        ("alice", "alpha", 200),
        ("charlie", "beta", 200),
    ],
)
def test_the_leaderboard_goes_to_the_team_and_its_managers(client, web_org, username, unit, status):
    _competition(web_org)
    _login(client, username)
    pk = getattr(web_org.org, unit).pk
    assert client.get(reverse("unit_competition", args=[pk])).status_code == status
    assert client.get(reverse("unit_competition_export", args=[pk, "csv"])).status_code == status


# --- plan against actual -------------------------------------------------------------------------


def test_plan_against_actual_as_xlsx_has_money_per_month(client, web_org):
    o = web_org.org
    make_goal("revenue_won", dt.date(2026, 11, 1), dt.date(2026, 12, 1), 25000, unit=o.alpha)
    _login(client, "mia")
    response = client.get(reverse("org_unit_export", args=[o.alpha.pk, "xlsx"]))
    assert _filename(response) == "plan-vs-actual-team-alpha-2026.xlsx"
    sheet = _sheet(response)
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Unit", "Level"] and header[-3:] == [
        "Year plan",
        "Year actual",
        "Attainment (%)",
    ]
    [alpha] = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Team Alpha"]
    plan = alpha[header.index("2026-11 plan")]
    assert (plan.value, plan.data_type, plan.number_format) == (25000, "n", "#,##0.00")
    assert alpha[header.index("Year plan")].value == 25000


def test_plan_against_actual_of_the_whole_org_for_an_admin(client, web_org):
    _login(client, "olga")
    response = client.get(reverse("org_export", args=["csv"]))
    _header, *rows = _csv(response)
    assert [r[0] for r in rows] == ["Northwind", "Americas", "Team Alpha", "Team Beta"]
    assert [r[1] for r in rows] == ["0", "1", "2", "2"]


@pytest.mark.parametrize(
    ("username", "name", "unit", "status"),
    [
        ("alice", "org_export", None, 403),  # a rep
        ("alice", "org_unit_export", "alpha", 403),
        ("mia", "org_unit_export", "beta", 404),  # another subtree
        ("mia", "org_unit_export", "region", 404),  # above her
        ("rhea", "org_unit_export", "beta", 200),
        ("mia", "org_export", None, 200),
    ],
)
def test_plan_against_actual_goes_to_managers_of_the_subtree(
    client, web_org, username, name, unit, status
):
    _login(client, username)
    args = [getattr(web_org.org, unit).pk, "csv"] if unit else ["csv"]
    assert client.get(reverse(name, args=args)).status_code == status


def test_a_manager_exports_only_their_own_subtree(client, web_org):
    _login(client, "mia")
    _header, *rows = _csv(client.get(reverse("org_export", args=["csv"])))
    assert [r[0] for r in rows] == ["Team Alpha"]


# --- the links on the pages ----------------------------------------------------------------------


def test_each_page_links_its_downloads(client, web_org):
    o = web_org.org
    _competition(web_org)
    _login(client, "mia")
    pages = {
        reverse("unit_team", args=[o.alpha.pk]): "unit_team_export",
        reverse("person_scorecard", args=[o.alice.pk]): "scorecard_export",
        reverse("unit_competition", args=[o.alpha.pk]): "unit_competition_export",
        reverse("org_unit", args=[o.alpha.pk]): "org_unit_export",
        reverse("org"): "org_export",
    }
    for page, name in pages.items():
        html = client.get(page).content.decode()
        for fmt in exports.FORMATS:
            args = [fmt] if name == "org_export" else [_pk_of(page), fmt]
            assert reverse(name, args=args) in html, (page, fmt)


def _pk_of(page: str) -> int:
    return int(next(part for part in page.split("/") if part.isdigit()))


def test_file_names_fall_back_to_the_id_for_a_name_without_latin_letters():
    assert exports.file_slug("Team West", "unit-7") == "team-west"
    assert exports.file_slug("华东团队", "unit-7") == "unit-7"
    assert exports.file_slug("../=evil", "unit-7") == "evil"
