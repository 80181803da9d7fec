"""Imports through the API (admins): a dry run answers the report and writes nothing; an
upload is queued as a job (the tests' immediate backend runs it on commit), whose status
and report are then read; other roles and other admins are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from pacesetter.conftest import make_person
from pacesetter.jobs.models import Job
from pacesetter.ledger.models import Deal
from pacesetter.org.models import Role

V1 = "/api/v1"
DEALS = "\n".join(
    [
        "external_id,owner,stage,created,closed,amount",
        "d-1,alice@example.com,Closed Won,2026-10-01,2026-10-20,1200.50",
        "d-2,nobody@example.com,Closed Won,2026-10-01,2026-10-20,99",
    ]
)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def upload(api_org, client, who, **fields):
    data = {"kind": "deals", "file": SimpleUploadedFile("deals.csv", DEALS.encode()), **fields}
    return client.post(f"{V1}/imports", data, **api_org.headers(who))


def test_a_dry_run_answers_the_report_and_writes_nothing(client, api_org):
    response = upload(api_org, client, "admin", dry_run="true", skip_bad="true")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["job_id"] is None
    assert body["report"]["file"] == "deals.csv"
    assert body["report"]["error_count"] == 1
    assert "nobody@example.com" in body["errors_csv"]
    assert not Deal.objects.filter(external_id="d-1").exists() and not Job.objects.exists()


def test_an_upload_is_queued_then_its_report_is_read(client, api_org, var_dir):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = upload(api_org, client, "admin", skip_bad="true")
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["file"], job["kind"]) == ("queued", "deals.csv", "deals")
    staged = list((var_dir / "uploads").iterdir())
    assert len(staged) == 1 and staged[0].name.endswith(".run")
    assert "deals.csv" not in staged[0].name
    not_ready = api_org.get(client, f"{V1}/imports/{job['id']}/report", "admin")
    assert not_ready.status_code == 409
    assert not_ready.json()["error"]["code"] == "not_ready"
    for callback in callbacks:  # the worker's turn
        callback()
    status = api_org.get(client, f"{V1}/imports/{job['id']}", "admin").json()
    assert status["status"] == "done"
    report = api_org.get(client, f"{V1}/imports/{job['id']}/report", "admin").json()
    assert report["report"]["error_count"] == 1
    assert Deal.objects.get(external_id="d-1").owner == api_org.org.alice
    assert list((var_dir / "uploads").iterdir()) == []
    listed = api_org.get(client, f"{V1}/imports", "admin").json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]


@pytest.mark.parametrize("who", ["regional", "manager", "rep"])
def test_other_roles_cannot_import(client, api_org, var_dir, who):
    response = upload(api_org, client, who)
    assert response.status_code == 403
    assert not Job.objects.exists() and not (var_dir / "uploads").exists()


def test_another_admins_import_is_not_found(client, api_org):
    from pacesetter.api.tokens import token_create

    job = upload(api_org, client, "admin").json()
    other = make_person("Otto Other")
    Role.objects.create(person=other, kind=Role.Kind.ADMIN)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=other.user, name='x').raw}"}
    for suffix in ("", "/report"):
        assert client.get(f"{V1}/imports/{job['id']}{suffix}", **headers).status_code == 404
    assert client.get(f"{V1}/imports", **headers).json()["count"] == 0


def test_bad_options_are_refused_field_by_field(client, api_org):
    response = upload(api_org, client, "admin", kind="planets", mapping="owner")
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"kind"}
    response = upload(api_org, client, "admin", mapping="no equals sign")
    assert response.json()["error"]["fields"] == {"mapping": ["Write each line as: field = column"]}
    response = upload(api_org, client, "admin", create_people="true")
    assert set(response.json()["error"]["fields"]) == {"create_people"}
