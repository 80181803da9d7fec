"""Tasks: the work that ran (or runs) off the request path, newest first. Everyone sees the
tasks they started; admins see everyone's and can run a failed one again.

Why a task failed is said in a sentence (``failure``); the exception and its traceback are
for staff, in the admin (Admin → Tasks)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pacesetter.jobs.models import Job
from pacesetter.jobs.services import JobNotRetryable, job_retry
from pacesetter.web.access import admins_only, scoped
from pacesetter.web.busy import is_locked_message
from pacesetter.web.requests import ScopedRequest

SHOWN = 50
KIND_LABELS = {
    "import": gettext_lazy("Import"),
    "rollups": gettext_lazy("Monthly totals recounted"),
    "awards": gettext_lazy("Awards brought up to date"),
    "digest": gettext_lazy("Digests e-mailed"),
    "notifications": gettext_lazy("Notifications"),
    "webhook": gettext_lazy("Webhook deliveries"),
    "webhooks": gettext_lazy("Webhook events looked for"),
    "sync": gettext_lazy("CRM sync"),
}


def failure(job: Job) -> str:
    """Why the job failed, for people ("" unless it failed)."""
    if job.status != Job.Status.FAILED:
        return ""
    if is_locked_message(job.error):
        return _("The database was busy with another long change: run it again.")
    return _("An unexpected error stopped it: staff find the details in the admin.")


@scoped
def jobs(request: ScopedRequest) -> HttpResponse:
    shown = Job.objects.select_related("requested_by__person")
    if not request.scope.is_admin:
        shown = shown.filter(requested_by=request.user)
    rows = [
        {"job": job, "label": KIND_LABELS.get(job.kind, job.kind), "failure": failure(job)}
        for job in shown[:SHOWN]
    ]
    return render(request, "web/jobs.html", {"rows": rows, "can_retry": request.scope.is_admin})


@require_POST
@admins_only
def job_retry_view(request: ScopedRequest, pk: int) -> HttpResponse:
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    try:
        job_retry(job=job)
    except JobNotRetryable:
        messages.error(request, _("Only a failed task can be run again."))
    else:
        messages.info(request, _("The task is queued again."))
    return redirect("jobs")
