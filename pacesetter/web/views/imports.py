"""Imports (admin): upload a CSV or XLSX, preview it, see the row-level report and download
it; the weekly-numbers template (managers, for a unit they manage)."""

from __future__ import annotations

import base64
import io
from itertools import islice

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from pacesetter.ledger.importers.engine import run_import
from pacesetter.ledger.importers.options import ImportOptions, default_max_bytes
from pacesetter.ledger.importers.readers import open_records
from pacesetter.ledger.importers.report import ErrorsCsv, ImportFileError
from pacesetter.ledger.importers.template import (
    parse_week,
    template_filename,
    weekly_template_bytes,
)
from pacesetter.web.access import admins_only, managers_only, unit_or_404
from pacesetter.web.forms import ImportForm, TemplateForm

PREVIEW_ROWS = 5


def _preview(upload: io.IOBase) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of the file, as the importer reads them."""
    try:
        with open_records(upload, max_bytes=default_max_bytes()) as records:
            rows = [list(cells) for _n, cells, *_rest in islice(records.rows, PREVIEW_ROWS)]
            return list(records.header), rows
    except ImportFileError:
        return [], []  # the import's report says what is wrong with the file
    finally:
        upload.seek(0)


@require_http_methods(["GET", "POST"])
@admins_only
def imports(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "template_form": _template_form(request)}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        context["header"], context["rows"] = _preview(upload)
        errors = io.StringIO()
        options = ImportOptions(
            preset=d["preset"] or None,
            mapping=d["mapping"],
            dry_run=d["dry_run"],
            skip_bad=d["skip_bad"],
            entered_by_id=request.user.pk,
            on_error=ErrorsCsv(errors),
        )
        report = run_import(d["kind"], upload, options=options)
        context["report"] = report
        if report.error_count:
            data = base64.b64encode(errors.getvalue().encode("utf-8-sig")).decode()
            context["errors_url"] = f"data:text/csv;base64,{data}"
    return render(request, "web/imports.html", context)


def _template_form(request: HttpRequest) -> TemplateForm:
    units = [(u.pk, u.name) for u in request.scope.editable_units()]
    return TemplateForm(request.GET or None, units=units, initial={"week": request.today})


@managers_only
def weekly_template(request: HttpRequest) -> HttpResponse:
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
