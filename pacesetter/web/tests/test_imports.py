"""The imports page: every upload is checked first (a dry run that saves nothing) and shows
what Pacesetter understood of it; "Import now" imports the same upload, kept meanwhile in a
private staging folder under a random token; errors speak of the form's fields, not of
command-line flags. And the weekly-numbers template for a manager's team."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, TestCase
from django.urls import reverse

from pacesetter.conftest import PASSWORD, SUITE_NOW, make_person
from pacesetter.ledger.importers.hints import OPTIONS
from pacesetter.ledger.importers.report import ImportReport, Understanding
from pacesetter.ledger.models import Deal, ManualEntry
from pacesetter.org.models import Role
from pacesetter.web.forms.imports import ImportForm
from pacesetter.web.views.imports import TOKEN, _understood

DEALS_HEADER = "external_id,owner,stage,created,closed,amount"
# Alice wins 1,200.50 and loses one; Bob's deal is open; Bob wins one without an amount.
DEALS = [
    "d-1,alice@example.com,Closed Won,2026-10-01,2026-10-20,1200.50",
    "d-2,Alice Adams,Closed Lost,2026-09-01,2026-10-05,300",
    "d-3,bob@example.com,Negotiation,2026-10-03,,500",
    "d-4,Bob Brown,won,2026-09-15,2026-11-02,",
]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path: Path) -> Path:
    """Staged uploads go to this test's own folder (settings.VAR_DIR / "uploads")."""
    settings.VAR_DIR = tmp_path
    return tmp_path


def _staged(var_dir: Path) -> list[str]:
    folder = var_dir / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _csv(*rows: str) -> SimpleUploadedFile:
    body = "\n".join(["email,metric,week,value", *rows]) + "\n"
    return SimpleUploadedFile("week.csv", body.encode(), content_type="text/csv")


def _deals(*rows: str, name: str = "deals.csv") -> SimpleUploadedFile:
    body = "\n".join([DEALS_HEADER, *rows]) + "\n"
    return SimpleUploadedFile(name, body.encode(), content_type="text/csv")


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, "no Import now button"
    return found.group(1)


def _section(page: str, element_id: str) -> str:
    """The text of the element with this id, up to its closing tag."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(ul|table|dd|dl|p)>', page, re.S)
    assert found, f"no #{element_id}"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def _preview(client: Client, data: dict) -> str:
    response = client.post(reverse("imports"), data)
    assert response.status_code == 200
    return response.content.decode()


def _import_now(client: Client, token: str) -> str:
    """Import now: the import is queued on commit (the tests' immediate backend runs it
    then), and the page it leads to shows the report once the job is done."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("imports"), {"action": "import", "token": token})
    if response.status_code == 302:
        assert re.fullmatch(r"/imports/jobs/\d+/", response["Location"])
        response = client.get(response["Location"])
    assert response.status_code == 200
    return response.content.decode()


def test_a_preview_reports_and_saves_nothing(client, web_org):
    client.login(username="olga", password=PASSWORD)
    data = {"kind": "entries", "file": _csv("alice@example.com,pd_events,2026-W48,1")}
    page = _preview(client, data)
    assert 'id="preview"' in page and "alice@example.com" in page  # the first rows
    assert 'id="report"' in page and 'id="import-now"' in page
    assert not ManualEntry.objects.exists()


def test_a_bad_row_is_reported_and_nothing_is_written(client, web_org, var_dir):
    client.login(username="olga", password=PASSWORD)
    data = {
        "kind": "entries",
        "file": _csv(
            "alice@example.com,pd_events,2026-W48,1", "nobody@example.com,pd_events,2026-W48,1"
        ),
    }
    page = _preview(client, data)
    assert 'id="errors"' in page and "nobody@example.com" in page
    assert "data:text/csv;base64," in page  # the report to download
    assert 'id="import-now"' not in page  # a refused file cannot be imported
    assert _staged(var_dir) == []  # nor is it kept
    assert not ManualEntry.objects.exists()


def test_a_good_file_is_imported_after_its_preview(client, web_org):
    client.login(username="olga", password=PASSWORD)
    data = {"kind": "entries", "file": _csv("alice@example.com,pd_events,2026-W48,2")}
    token = _token(_preview(client, data))
    assert not ManualEntry.objects.exists()
    _import_now(client, token)
    assert ManualEntry.objects.get().person == web_org.org.alice


def test_the_preview_says_what_it_understood_and_import_now_imports_the_same_upload(
    client, small_org, var_dir
):
    client.login(username="olga", password=PASSWORD)
    page = _preview(client, {"kind": "deals", "file": _deals(*DEALS)})
    assert not Deal.objects.exists()  # a preview saves nothing
    assert re.search(r'id="counts".*4 rows read.*4 new', page, re.S)
    outcomes = _section(page, "outcomes")
    assert re.search(r"won\s+2\s", outcomes)
    assert re.search(r"lost\s+1\s", outcomes)
    assert re.search(r"open\s+1\s", outcomes)
    assert "1,200.50" in _section(page, "won-value")
    assert _section(page, "date-range").split() == ["2026-10-03", "to", "2026-11-02"]
    assert "Negotiation (1)" in _section(page, "open-stages")
    people = _section(page, "per-person").split()
    assert people == ["Alice", "Adams", "2", "Bob", "Brown", "2"]
    assert 'style="width: 100.0%"' in page  # the bars
    assert "no amount" in _section(page, "warnings")  # Bob's won deal
    # The upload waits under a random token, not under its name.
    token = _token(page)
    assert TOKEN.fullmatch(token)
    assert _staged(var_dir) == [token]

    page = _import_now(client, token)
    assert re.search(r'id="report".*<h2>Imported', page, re.S)
    assert re.search(r'id="counts".*4 rows read.*4 new', page, re.S)
    assert "deals.csv" in page  # the name the user knows
    amounts = dict(Deal.objects.values_list("external_id", "amount"))
    assert amounts == {
        "d-1": Decimal("1200.50"),
        "d-2": Decimal("300"),
        "d-3": Decimal("500"),
        "d-4": Decimal("0"),
    }
    assert Deal.objects.get(external_id="d-1").owner == small_org.alice
    assert _staged(var_dir) == []  # the staged file is gone
    assert 'name="token"' not in page


def test_import_now_uses_the_options_of_the_preview(client, small_org):
    client.login(username="olga", password=PASSWORD)
    body = "external_id;owner;stage;created;closed;amount\n"
    body += "d-1;Alice Adams;Closed Won;01/10/2026;20/10/2026;1.234,50\n"
    data = {
        "kind": "deals",
        "file": SimpleUploadedFile("eu.csv", body.encode()),
        "date_formats": "%d/%m/%Y",
        "decimal_comma": "on",
    }
    page = _preview(client, data)
    assert 'id="errors"' not in page
    _import_now(client, _token(page))
    deal = Deal.objects.get()
    assert (deal.amount, deal.closed_on) == (Decimal("1234.50"), dt.date(2026, 10, 20))


def test_skipping_bad_rows_shows_the_people_not_matched_and_imports_the_good_rows(
    client, small_org
):
    client.login(username="olga", password=PASSWORD)
    data = {
        "kind": "deals",
        "file": _deals(DEALS[0], "d-9,Alise Adams,Closed Won,2026-10-01,2026-10-21,10"),
        "skip_bad": "on",
    }
    page = _preview(client, data)
    unmatched = _section(page, "unmatched")
    assert "Alise Adams" in unmatched and "closest:" in unmatched and "Alice Adams" in unmatched
    assert "will be left out" in page
    _import_now(client, _token(page))
    assert list(Deal.objects.values_list("external_id", flat=True)) == ["d-1"]


def test_a_token_imports_once(client, small_org, var_dir):
    client.login(username="olga", password=PASSWORD)
    token = _token(_preview(client, {"kind": "deals", "file": _deals(*DEALS)}))
    _import_now(client, token)
    Deal.objects.all().delete()
    page = _import_now(client, token)
    assert "no longer available" in page
    assert 'id="report"' not in page and 'id="import-form"' in page  # the empty form
    assert not Deal.objects.exists()


@pytest.mark.parametrize("token", ["", "nonsense", "../../etc/passwd", "A" * 43])
def test_an_unknown_token_is_refused_cleanly(client, small_org, var_dir, token):
    client.login(username="olga", password=PASSWORD)
    staged = _token(_preview(client, {"kind": "deals", "file": _deals(*DEALS)}))
    page = _import_now(client, token)
    assert "no longer available" in page
    assert _staged(var_dir) == [staged]  # what is staged is left alone
    assert not Deal.objects.exists()


def test_another_admins_token_is_refused(client, small_org, var_dir):
    other = make_person("Ada Admin", staff=True)
    Role.objects.create(person=other, kind=Role.Kind.ADMIN)
    client.login(username="olga", password=PASSWORD)
    token = _token(_preview(client, {"kind": "deals", "file": _deals(*DEALS)}))
    ada = Client()
    ada.login(username="ada", password=PASSWORD)
    assert "no longer available" in _import_now(ada, token)
    assert not Deal.objects.exists()
    assert _staged(var_dir) == [token]
    _import_now(client, token)  # still Olga's to import
    assert Deal.objects.count() == len(DEALS)


def test_a_token_does_not_survive_logging_out(client, small_org, var_dir):
    client.login(username="olga", password=PASSWORD)
    token = _token(_preview(client, {"kind": "deals", "file": _deals(*DEALS)}))
    client.logout()
    client.login(username="olga", password=PASSWORD)
    assert "no longer available" in _import_now(client, token)
    assert not Deal.objects.exists()


@pytest.mark.parametrize("username", ["alice", "mia"])
def test_reps_and_managers_can_neither_preview_nor_import(client, small_org, var_dir, username):
    admin = Client()
    admin.login(username="olga", password=PASSWORD)
    token = _token(_preview(admin, {"kind": "deals", "file": _deals(*DEALS)}))
    client.login(username=username, password=PASSWORD)
    url = reverse("imports")
    assert client.post(url, {"kind": "deals", "file": _deals(*DEALS)}).status_code == 403
    assert client.post(url, {"action": "import", "token": token}).status_code == 403
    assert not Deal.objects.exists()
    assert _staged(var_dir) == [token]


def test_the_staged_file_is_never_named_after_the_upload(client, small_org, var_dir):
    """The browser says the file is ``../../x.csv``: it is kept under a token, inside the
    staging folder, and only shown by its name."""
    client.login(username="olga", password=PASSWORD)
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndeals\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="../../x.csv"\r\nContent-Type: text/csv\r\n\r\n'
        + "\n".join([DEALS_HEADER, *DEALS])
        + f"\r\n--{boundary}--\r\n"
    )
    response = client.post(
        reverse("imports"), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    page = response.content.decode()
    token = _token(page)
    assert _staged(var_dir) == [token]
    assert sorted(p.name for p in var_dir.iterdir()) == ["uploads"]
    assert not (var_dir.parent / "x.csv").exists()
    assert "x.csv" in page and "../" not in page
    assert "x.csv" in _import_now(client, token)
    assert Deal.objects.count() == len(DEALS)


def test_staged_uploads_are_removed_after_a_day(client, small_org, var_dir, time_machine):
    client.login(username="olga", password=PASSWORD)
    token = _token(_preview(client, {"kind": "deals", "file": _deals(*DEALS)}))
    time_machine.move_to(SUITE_NOW + dt.timedelta(hours=23))
    client.get(reverse("imports"))
    assert _staged(var_dir) == [token]
    time_machine.move_to(SUITE_NOW + dt.timedelta(hours=25))
    client.get(reverse("imports"))
    assert _staged(var_dir) == []
    assert "no longer available" in _import_now(client, token)
    assert not Deal.objects.exists()


def test_web_errors_name_the_form_fields_not_command_line_flags(client, small_org):
    """Dates the importer cannot read by itself (01/02/2026 alone never says whether the
    day or the month comes first): the advice names the form's field, and following it
    works."""
    client.login(username="olga", password=PASSWORD)
    rows = [
        "d-1,Alice Adams,Closed Won,2026-01-01,01/02/2026,10",
        "d-2,Alice Adams,Closed Won,2026-01-01,Dec 31 2026,10",
    ]
    for row in rows:
        page = _preview(client, {"kind": "deals", "file": _deals(row)})
        errors = _section(page, "errors")
        assert row.split(",")[4] in errors and "Date format" in errors
        report = re.sub(r"<[^>]+>", " ", page.split('id="report"')[1])
        assert "--" not in report
    page = _preview(client, {"kind": "deals", "file": _deals(rows[0]), "mapping": "owner = Rep"})
    assert "Column mapping" in _section(page, "errors") and "--map" not in page
    data = {"kind": "deals", "file": _deals(*rows), "date_formats": "%d/%m/%Y, %b %d %Y"}
    page = _preview(client, data)
    assert 'id="errors"' not in page
    assert _section(page, "date-range").split() == ["2026-02-01", "to", "2026-12-31"]


def test_every_option_the_messages_name_is_a_field_of_the_form():
    labels = {str(field.label) for field in ImportForm().fields.values()}
    assert {label for _flag, label in OPTIONS.values()} <= labels


def test_the_options_are_checked(client, small_org, var_dir):
    client.login(username="olga", password=PASSWORD)
    data = {
        "kind": "deals",
        "file": _deals(*DEALS),
        "date_formats": "dd/mm/yyyy",
        "type_map": "Discovery call = chat",
        "encoding": "klingon",
        "create_people": "on",
    }
    page = _preview(client, data)
    assert 'id="report"' not in page and _staged(var_dir) == []
    for name in ("date_formats", "type_map", "encoding", "create_people"):
        assert re.search(rf'id="field-{name}"[^>]*>.*?class="error"', page, re.S), name
    assert re.search(r'<details class="more-options" id="more-options" open>', page)
    page = _preview(client, {"kind": "entries", "file": _csv(), "preset": "hubspot"})
    assert re.search(r'id="field-preset".*?class="error"', page, re.S)


def test_the_understanding_shows_activities_unmatched_people_and_warnings():
    """The report's summary, whatever the import filled in (here: by hand)."""
    understood = Understanding(
        outcomes=Counter({"call": 6, "email": 3, "skipped (not done)": 1}),
        first_day=dt.date(2026, 11, 2),
        last_day=dt.date(2026, 11, 13),
        per_person=Counter({f"Rep {i:02d}": 30 - i for i in range(20)}),
        unmatched=[("Sam Nobody", 3, ["Sam Newton", "Samuel Nobel"]), ("x@example.com", 1, [])],
        warnings=Counter({"rows without an owner were not imported": 4}),
    )
    report = ImportReport(kind="activities", source="csv", dry_run=True, rows=10, created=9)
    page = render_to_string(
        "web/_import_report.html", {"report": report, "understood": _understood(understood)}
    )
    assert re.search(r"calls made\s+6\s+60 %", _section(page, "outcomes"))
    assert "skipped (not done)" in _section(page, "outcomes")
    assert "won-value" not in page  # not deals
    assert _section(page, "date-range").split() == ["2026-11-02", "to", "2026-11-13"]
    people = _section(page, "per-person")
    assert "Rep 00" in people and "Rep 14" in people and "Rep 15" not in people
    assert "and 5 more people" in page
    assert 'style="width: 100.0%"' in page and 'style="width: 53.3%"' in page  # 16 of 30
    unmatched = _section(page, "unmatched")
    assert re.search(r"Sam Nobody.*3 rows.*closest:.*Sam Newton, Samuel Nobel", unmatched, re.S)
    assert "x@example.com" in unmatched
    assert re.search(r"4 rows\s+rows without an owner", _section(page, "warnings"))


def test_a_manager_downloads_the_weekly_template_of_their_team(client, web_org):
    client.login(username="mia", password=PASSWORD)
    url = reverse("weekly_template")
    response = client.get(url, {"team": web_org.org.alpha.pk, "week": web_org.today})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
