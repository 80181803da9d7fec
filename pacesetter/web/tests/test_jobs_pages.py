"""Work off the request path, as people see it: "Import now" answers at once and its page
polls (htmx) until the worker is done, then shows the same report; a failed task shows its
error and an admin runs it again from the Tasks page; a write that meets a locked database
answers 503 with Retry-After."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse

from pacesetter.conftest import PASSWORD, make_person
from pacesetter.jobs.models import Job
from pacesetter.ledger import tasks as ledger_tasks
from pacesetter.ledger.models import Deal
from pacesetter.ledger.tasks import import_staged
from pacesetter.org.models import Role
from pacesetter.web.busy import server_error

DEALS = (
    "external_id,owner,stage,created,closed,amount\n"
    "d-1,alice@example.com,Closed Won,2026-10-01,2026-10-20,1200.50\n"
    "d-2,bob@example.com,Negotiation,2026-10-03,,500\n"
)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def staged(var_dir: Path) -> list[str]:
    folder = var_dir / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def import_now(client: Client) -> str:
    """Preview a deals file, then "Import now": where it leads (the job's page)."""
    file = SimpleUploadedFile("deals.csv", DEALS.encode(), content_type="text/csv")
    page = client.post(reverse("imports"), {"kind": "deals", "file": file}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("imports"), {"action": "import", "token": token})
    assert response.status_code == 302
    return response["Location"]


def test_import_now_answers_at_once_and_its_page_polls_until_the_report(
    client, small_org, settings, var_dir
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.login(username="olga", password=PASSWORD)
    url = import_now(client)
    job = Job.objects.get()
    assert url == reverse("import_job", args=[job.pk])
    assert (job.kind, job.status, job.requested_by.username) == ("import", "queued", "olga")
    assert not Deal.objects.exists()  # nothing imported in the request

    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert "Waiting to import" in page and "deals.csv" in page

    import_staged.call(job.pk)  # the worker runs it
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="import-job" data-status="done"')
    assert "hx-trigger" not in fragment  # done: no more polling
    assert re.search(r'id="report".*<h2>Imported.*deals\.csv', fragment, re.S)
    assert re.search(r'id="counts".*2 rows read.*2 new', fragment, re.S)
    assert Deal.objects.count() == 2 and staged(var_dir) == []


def test_only_the_admin_who_started_an_import_sees_its_page(client, small_org):
    client.login(username="olga", password=PASSWORD)
    url = import_now(client)
    other = make_person("Ada Admin", staff=True)
    Role.objects.create(person=other, kind=Role.Kind.ADMIN)
    ada = Client()
    ada.login(username="ada", password=PASSWORD)
    assert ada.get(url).status_code == 404
    alice = Client()
    alice.login(username="alice", password=PASSWORD)
    assert alice.get(url).status_code == 403


def test_a_failed_import_shows_its_error_and_an_admin_runs_it_again(
    client, small_org, monkeypatch, var_dir
):
    real = ledger_tasks.import_upload

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ledger_tasks, "import_upload", locked)
    client.login(username="olga", password=PASSWORD)
    url = import_now(client)
    job = Job.objects.get()
    assert job.status == "failed"
    page = client.get(url).content.decode()
    assert "The import failed" in page and "The database was busy" in page
    assert staged(var_dir) == [f"{Path(job.arguments['path']).name}"]  # kept to run again

    tasks = client.get(reverse("jobs")).content.decode()
    assert 'data-status="failed"' in tasks and "Run again" in tasks
    monkeypatch.setattr(ledger_tasks, "import_upload", real)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert Deal.objects.count() == 2 and staged(var_dir) == []
    assert 'id="report"' in client.get(url).content.decode()


def test_people_see_the_tasks_they_started_and_only_admins_run_one_again(client, small_org):
    client.login(username="olga", password=PASSWORD)
    import_now(client)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    assert "deals.csv" in client.get(reverse("jobs")).content.decode()

    alice = Client()
    alice.login(username="alice", password=PASSWORD)
    page = alice.get(reverse("jobs")).content.decode()
    assert "deals.csv" not in page and "No tasks yet" in page
    assert alice.post(reverse("job_retry", args=[job.pk])).status_code == 403
    assert Job.objects.get().status == "failed"


def test_a_write_that_meets_a_locked_database_answers_503_in_the_readers_language(
    client, small_org, monkeypatch
):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("pacesetter.web.views.language.person_language_set", locked)
    client.login(username="alice", password=PASSWORD)
    data = {"language": "zh-hans", "next": "/"}
    response = client.post(reverse("set_language"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Pacesetter 正忙" in response.content.decode()


def test_what_fails_after_the_view_on_a_locked_database_is_a_503_too(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    try:
        raise ValueError("something else")
    except ValueError:
        assert sys.exc_info()[0] is ValueError
        assert server_error(request).status_code == 500
