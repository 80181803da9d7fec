"""The imports page: a preview that saves nothing, the row-level error report, the import;
and the weekly-numbers template for a manager's team."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.ledger.models import ManualEntry


def _csv(*rows: str) -> SimpleUploadedFile:
    body = "\n".join(["email,metric,week,value", *rows]) + "\n"
    return SimpleUploadedFile("week.csv", body.encode(), content_type="text/csv")


def test_a_preview_reports_and_saves_nothing(client, web_org):
    client.login(username="olga", password=PASSWORD)
    data = {
        "kind": "entries",
        "file": _csv("alice@example.com,pd_events,2026-W48,1"),
        "dry_run": "on",
    }
    page = client.post(reverse("imports"), data).content.decode()
    assert 'id="preview"' in page and "alice@example.com" in page  # the first rows
    assert 'id="report"' in page
    assert not ManualEntry.objects.exists()


def test_a_bad_row_is_reported_and_nothing_is_written(client, web_org):
    client.login(username="olga", password=PASSWORD)
    data = {
        "kind": "entries",
        "file": _csv(
            "alice@example.com,pd_events,2026-W48,1", "nobody@example.com,pd_events,2026-W48,1"
        ),
    }
    page = client.post(reverse("imports"), data).content.decode()
    assert 'id="errors"' in page and "nobody@example.com" in page
    assert "data:text/csv;base64," in page  # the report to download
    assert not ManualEntry.objects.exists()


def test_a_good_file_is_imported(client, web_org):
    client.login(username="olga", password=PASSWORD)
    data = {"kind": "entries", "file": _csv("alice@example.com,pd_events,2026-W48,2")}
    client.post(reverse("imports"), data)
    assert ManualEntry.objects.get().person == web_org.org.alice


def test_a_manager_downloads_the_weekly_template_of_their_team(client, web_org):
    client.login(username="mia", password=PASSWORD)
    url = reverse("weekly_template")
    response = client.get(url, {"team": web_org.org.alpha.pk, "week": web_org.today})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
