"""Imports (admin): upload a CSV or XLSX, see what Pacesetter understood of it (a dry run),
then "Import now" the same upload; the row-level report and its download; the
weekly-numbers template (managers, for a unit they manage).

Between the preview and "Import now" the upload waits in a private staging folder
(``VAR_DIR/uploads``) under a random token, never under the user's file name; the user's
session maps the token to the original name, the kind and the options. A staged file is
deleted when it is imported (whatever the outcome) and by any use of the page a day later.

"Import now" does not import in the request: it queues a job (``ledger.tasks.import_staged``,
run by ``pacesetter worker``) and leads to the job's page, which htmx polls until the job is
done and then shows the same report the preview did. Only the admin who started it sees it.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import time
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from pacesetter.jobs.models import Job
from pacesetter.jobs.services import job_enqueue
from pacesetter.ledger.import_jobs import import_upload, report_from_json
from pacesetter.ledger.importers.options import default_max_bytes
from pacesetter.ledger.importers.readers import FileLike, open_records
from pacesetter.ledger.importers.report import ImportFileError, ImportReport, Understanding
from pacesetter.ledger.importers.template import (
    parse_week,
    template_filename,
    weekly_template_bytes,
)
from pacesetter.ledger.tasks import import_staged
from pacesetter.web.access import admins_only, managers_only, unit_or_404
from pacesetter.web.forms.imports import ImportForm, TemplateForm
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.jobs import failure
from pacesetter.web.views.rendering import page_or_fragment

PREVIEW_ROWS = 5
PEOPLE_SHOWN = 15  # rows per person: the busiest, then "and N more"
STAGED = "imports.staged"  # the session's key: token → the staged upload
STAGED_SECONDS = 24 * 60 * 60  # a staged upload is kept a day at most
STAGED_PER_SESSION = 5  # a session's older previews are dropped beyond these
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
STAGED_NAME = re.compile(r"[A-Za-z0-9_-]{43}(\.run)?")  # ".run": being imported
POLL_SECONDS = 1  # how often the job's page asks whether the import is done

OUTCOME_LABELS = {
    "won": _("won"),
    "lost": _("lost"),
    "open": _("open"),
    "email": _("e-mails sent"),
    "call": _("calls made"),
    "meeting_booked": _("meetings booked"),
    "meeting": _("meetings held"),
    "demo": _("demos held"),
    "article": _("articles shared"),
    "event": _("events attended"),
    "skipped (not done)": _("skipped (not done)"),
    "not done (skipped)": _("skipped (not done)"),
}


def _preview(upload: IO[bytes], encoding: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of the file, as the importer reads them."""
    try:
        with open_records(upload, max_bytes=default_max_bytes(), encoding=encoding) as records:
            rows = [list(cells) for _n, cells, *_rest in islice(records.rows, PREVIEW_ROWS)]
            return list(records.header), rows
    except ImportFileError:
        return [], []  # the import's report says what is wrong with the file
    finally:
        upload.seek(0)


@require_http_methods(["GET", "POST"])
@admins_only
def imports(request: ScopedRequest) -> HttpResponse:
    """GET: the form. POST with a file: the preview (a dry run) and, when the file can be
    imported, "Import now". POST ``action=import``: import the staged upload."""
    _sweep(request)
    if request.method == "POST" and request.POST.get("action") == "import":
        return _import_staged(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "template_form": _template_form(request)}
    if request.method == "POST" and form.is_valid():
        kind, upload, options = form.cleaned_data["kind"], form.cleaned_data["file"], form.options()
        context["header"], context["rows"] = _preview(upload, options["encoding"])
        report, errors_url = _run(request, kind, upload, options, dry_run=True)
        if report is None:
            form.add_error(None, _("These options do not fit this kind of file."))
        else:
            context.update(_report_context(report, errors_url))
            if not report.failed:
                context["token"] = _stage(request, upload, kind, options)
                context["staged_name"] = report.file
    return render(request, "web/imports.html", context)


def _import_staged(request: ScopedRequest) -> HttpResponse:
    """Import now: the very upload the user saw the preview of, with the same options."""
    context: dict[str, Any] = {"form": ImportForm(), "template_form": _template_form(request)}
    claimed = _claim(request, request.POST.get("token", ""))
    if claimed is None:
        messages.error(
            request,
            _(
                "That preview is no longer available (it was imported already, or it is more than "
                "a day old): choose the file again."
            ),
        )
        return render(request, "web/imports.html", context)
    entry, path = claimed
    arguments = {
        "path": str(path),
        "name": entry["name"],
        "kind": entry["kind"],
        "options": entry["options"],
        "user_id": request.user.pk,
    }
    job = job_enqueue(
        task=import_staged, kind="import", arguments=arguments, requested_by=request.user
    )
    return redirect("import_job", pk=job.pk)


@admins_only
def import_job(request: ScopedRequest, pk: int) -> HttpResponse:
    """An import queued by "Import now": "importing …" while it runs (htmx asks again every
    second), then the import's report. Only for the admin who started it."""
    job = Job.objects.filter(pk=pk, kind="import", requested_by=request.user).first()
    if job is None:
        raise Http404
    context: dict[str, Any] = {
        "form": ImportForm(),
        "template_form": _template_form(request),
        "job": job,
        "poll_seconds": POLL_SECONDS,
        "failure": failure(job),
    }
    if job.status == Job.Status.DONE and job.result and job.result.get("report"):
        report = report_from_json(job.result["report"])
        context.update(_report_context(report, _errors_url(job.result.get("errors_csv", ""))))
    return page_or_fragment(request, "web/imports.html", "web/_import_job.html", context)


def _run(
    request: HttpRequest, kind: str, file: FileLike, options: dict[str, Any], *, dry_run: bool
) -> tuple[ImportReport | None, str]:
    """Run the import with the options as the form gave them (plain JSON); the report and the
    rejected rows as a CSV data URL ("" when none). None when the options do not fit."""
    report, errors_csv = import_upload(
        kind, file, options, user_id=request.user.pk, dry_run=dry_run
    )
    return report, _errors_url(errors_csv)


def _errors_url(errors_csv: str) -> str:
    if not errors_csv:
        return ""
    data = base64.b64encode(errors_csv.encode("utf-8-sig")).decode()
    return f"data:text/csv;base64,{data}"


# --- the report --------------------------------------------------------------------------


def _report_context(report: ImportReport, errors_url: str) -> dict[str, Any]:
    return {
        "report": report,
        "errors_url": errors_url,
        "understood": _understood(report.understood) if report.understood else None,
    }


def _understood(u: Understanding) -> dict[str, Any]:
    """What the import understood, ready to show: outcomes with their share, the date range,
    the money won, rows per person as bars, people not matched, warnings."""
    total = sum(u.outcomes.values())
    outcomes = [
        {
            "label": OUTCOME_LABELS.get(what, what),
            "code": what,
            "rows": n,
            "percent": round(100 * n / total) if total else 0,
        }
        for what, n in u.outcomes.most_common()
    ]
    busiest = u.per_person.most_common(PEOPLE_SHOWN)
    most = busiest[0][1] if busiest else 0
    people = [
        {"name": name, "rows": n, "width": round(100 * n / most, 1) if most else 0}
        for name, n in busiest
    ]
    return {
        "outcomes": outcomes,
        "first_day": u.first_day,
        "last_day": u.last_day,
        "won": u.money(u.won_cents) if u.won_cents is not None else None,
        "won_rows": u.outcomes.get("won", 0),
        "open_stages": u.open_stages.most_common(),
        "people": people,
        "more_people": len(u.per_person) - len(busiest),
        "unmatched": [
            {"value": value, "rows": rows, "closest": closest}
            for value, rows, closest in u.unmatched
        ],
        "warnings": u.warnings.most_common(),
    }


# --- the staging area ------------------------------------------------------------------------


def _staging_folder() -> Path:
    folder = Path(settings.VAR_DIR) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(request: HttpRequest) -> None:
    """Forget what was staged more than a day ago: every such file, and this session's
    entries."""
    oldest = time.time() - STAGED_SECONDS
    for path in _staging_folder().iterdir():
        if not STAGED_NAME.fullmatch(path.name):
            continue
        try:
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another request took it
            continue
    staged = request.session.get(STAGED)
    if staged:
        kept = {t: e for t, e in staged.items() if e.get("created", 0) >= oldest}
        if kept != staged:
            request.session[STAGED] = kept


def _stage(request: HttpRequest, upload: UploadedFile, kind: str, options: dict[str, Any]) -> str:
    """Keep the upload for "Import now"; returns its token."""
    token = secrets.token_urlsafe(32)
    path = _staging_folder() / token
    now = time.time()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    os.utime(path, (now, now))  # the app's clock, which the sweep compares with
    staged = dict(request.session.get(STAGED) or {})
    staged[token] = {
        "name": os.path.basename(upload.name or "")[:255],
        "kind": kind,
        "options": options,
        "user": request.user.pk,
        "created": now,
    }
    while len(staged) > STAGED_PER_SESSION:
        oldest = min(staged, key=lambda t: staged[t]["created"])
        del staged[oldest]
        (path.parent / oldest).unlink(missing_ok=True)
    request.session[STAGED] = staged
    return token


def _claim(request: HttpRequest, token: str) -> tuple[dict[str, Any], Path] | None:
    """The staged upload of ``token`` if this session (and user) staged it less than a day
    ago, taken out of the staging area so that it is imported once; None otherwise."""
    if not TOKEN.fullmatch(token):
        return None
    staged = dict(request.session.get(STAGED) or {})
    entry = staged.pop(token, None)
    if entry is None:
        return None
    request.session[STAGED] = staged
    path = _staging_folder() / token
    if entry.get("user") != request.user.pk or entry["created"] < time.time() - STAGED_SECONDS:
        path.unlink(missing_ok=True)
        return None
    claimed = path.with_name(f"{token}.run")
    try:
        path.rename(claimed)  # atomic: a second click finds nothing to import
    except FileNotFoundError:
        return None
    return entry, claimed


def _template_form(request: ScopedRequest) -> TemplateForm:
    units = [(u.pk, u.name) for u in request.scope.editable_units()]
    return TemplateForm(request.GET or None, units=units, initial={"week": request.today})


@managers_only
def weekly_template(request: ScopedRequest) -> HttpResponse:
    """The weekly-numbers workbook of a team: one row per person, one column per metric."""
    form = _template_form(request)
    if not form.is_valid():
        return render(request, "web/template_form.html", {"template_form": form}, status=400)
    team = unit_or_404(request.scope, form.cleaned_data["team"])
    week = parse_week(form.cleaned_data["week"].isoformat())
    response = HttpResponse(
        weekly_template_bytes(team, week).getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{template_filename(team, week)}"'
    return response
