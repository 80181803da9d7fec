"""Imports (admins): upload a file, which is queued as a job (``ledger.tasks.import_staged``,
run by ``pacesetter worker``) as the web's "Import now" is; its status; its report. With
``dry_run`` the file is only checked, and the report is the answer.

The upload waits in the same private staging folder as the web's (``VAR_DIR/uploads``),
under a random name, never the caller's file name.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path as FilePath
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from pacesetter.api.errors import ERRORS, ApiError, ErrorOut, forbidden, not_found
from pacesetter.api.paging import Paging, page
from pacesetter.api.schemas import Id, ImportJobOut, ImportReportOut, Page
from pacesetter.api.security import caller_of, scope_of
from pacesetter.jobs.models import Job
from pacesetter.jobs.services import job_enqueue
from pacesetter.ledger.import_jobs import import_upload, report_as_json
from pacesetter.ledger.importers.options import default_max_bytes
from pacesetter.ledger.importers.presets import PRESETS
from pacesetter.ledger.tasks import import_staged

router = Router(tags=["imports"])

KINDS = ("activities", "deals", "accounts", "entries", "org")


class ImportIn(Schema):
    kind: str = Field(description=", ".join(KINDS))
    preset: str = Field(default="", description="hubspot, salesforce, pipedrive or empty")
    mapping: str = Field(default="", max_length=5000, description="field = column, per line")
    default_owner: str = Field(default="", max_length=254)
    skip_bad: bool = False
    create_people: bool = False
    dry_run: bool = False


def _admin(request: HttpRequest) -> None:
    if not scope_of(request).is_admin:
        raise forbidden()


def _mapping(text: str) -> dict[str, str]:
    mapping = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        field, sep, column = line.partition("=")
        if not sep or not field.strip() or not column.strip():
            message = _("Write each line as: field = column")
            raise ApiError(422, message, fields={"mapping": [message]})
        mapping[field.strip()] = column.strip()
    return mapping


def _options(data: ImportIn) -> dict[str, Any]:
    """The import's options as the web form gives them (plain JSON, kept by the job)."""
    invalid: dict[str, list[str]] = {}
    if data.kind not in KINDS:
        invalid["kind"] = [_("One of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]
    elif data.preset and (
        data.preset not in PRESETS
        or (data.kind != "org" and data.kind not in PRESETS[data.preset].kinds)
    ):
        invalid["preset"] = [_("This export has no such rows.")]
    if data.create_people and data.kind != "org":
        invalid["create_people"] = [_("Only for files of people and teams.")]
    if invalid:
        raise ApiError(422, _("Some of what was sent is not valid: see fields."), fields=invalid)
    return {
        "preset": data.preset or None,
        "mapping": _mapping(data.mapping),
        "date_formats": [],
        "default_owner": data.default_owner.strip() or None,
        "type_map": {},
        "round_cents": False,
        "decimal_comma": False,
        "rates": {},
        "won_stages": None,
        "lost_stages": None,
        "open_stages": [],
        "stages_strict": False,
        "encoding": None,
        "create_people": data.create_people,
        "skip_bad": data.skip_bad,
    }


def _stage(upload: UploadedFile) -> FilePath:
    """Keep the upload for the worker (``.run``: the web's sweep removes it after a day if
    the job never ran)."""
    folder = FilePath(settings.VAR_DIR) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{secrets.token_urlsafe(32)}.run"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _job_row(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.arguments.get("kind", ""),
        "status": job.status,
        "file": job.arguments.get("name", ""),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "error": job.error,
    }


@router.post(
    "/imports",
    response={200: ImportReportOut, 202: ImportJobOut, 413: ErrorOut, **ERRORS},
)
def import_new(
    request: HttpRequest, file: File[UploadedFile], data: Form[ImportIn]
) -> Status[dict[str, Any]]:
    """Upload a CSV or XLSX file: 202 with the queued job (follow it at
    ``/imports/{id}``); with ``dry_run``, 200 with what the import understood, nothing
    written."""
    _admin(request)
    options = _options(data)
    if file.size is not None and file.size > default_max_bytes():
        raise ApiError(413, _("The file is too large."))
    user = caller_of(request).user
    if data.dry_run:
        report, errors_csv = import_upload(data.kind, file, options, user_id=user.pk, dry_run=True)
        if report is None:
            raise ApiError(422, _("These options do not fit this kind of file."))
        report.file = os.path.basename(file.name or "")[:255]
        return Status(
            200, {"job_id": None, "report": report_as_json(report), "errors_csv": errors_csv}
        )
    path = _stage(file)
    arguments = {
        "path": str(path),
        "name": os.path.basename(file.name or "")[:255],
        "kind": data.kind,
        "options": options,
        "user_id": user.pk,
    }
    job = job_enqueue(task=import_staged, kind="import", arguments=arguments, requested_by=user)
    return Status(202, _job_row(job))


def _own_imports(request: HttpRequest) -> Any:
    _admin(request)
    return Job.objects.filter(kind="import", requested_by=caller_of(request).user)


@router.get("/imports", response={200: Page[ImportJobOut], **ERRORS})
def imports_list(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    """The caller's imports, newest first."""
    items, meta = page(_own_imports(request), paging)
    return {**meta, "items": [_job_row(j) for j in items]}


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS})
def import_read(request: HttpRequest, job_id: Path[Id]) -> dict[str, Any]:
    """The import's status: queued, running, done or failed (only the admin who started it)."""
    job = _own_imports(request).filter(pk=job_id).first()
    if job is None:
        raise not_found()
    return _job_row(job)


@router.get("/imports/{job_id}/report", response={200: ImportReportOut, 409: ErrorOut, **ERRORS})
def import_report(request: HttpRequest, job_id: Path[Id]) -> dict[str, Any]:
    """The import's report once it is done: 409 ``not_ready`` before, ``failed`` if it
    failed (its error says why)."""
    job = _own_imports(request).filter(pk=job_id).first()
    if job is None:
        raise not_found()
    if job.status == Job.Status.FAILED:
        raise ApiError(409, job.error or _("The import failed."), code="failed")
    if job.status != Job.Status.DONE:
        raise ApiError(409, _("The import has not finished yet."), code="not_ready")
    result = job.result or {}
    return {
        "job_id": job.pk,
        "report": result.get("report"),
        "errors_csv": result.get("errors_csv", ""),
    }
