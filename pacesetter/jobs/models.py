"""A job: work that runs off the request path, as people see it.

Each job is one task of Django's task framework (the ``django-tasks`` backport; its database
backend in production, ``pacesetter worker`` runs them). The backend keeps its own record of
the task; this one is Pacesetter's, the same on every backend: what the work is (``kind``),
who started it, in which language they read, whether it is queued, running, done or failed,
and its result (JSON) or error. A failed job keeps its task and arguments, so an admin can
run it again (``jobs.services.job_retry``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=40)  # import, rollups, awards, digest
    task_path = models.CharField(max_length=200)  # the task, for a retry
    arguments = models.JSONField(default=dict, blank=True)
    # The same work has the same key: a job queued with a key that is already queued (not yet
    # started) is that job (see ``job_enqueue``).
    key = models.CharField(max_length=200, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(max_length=16, blank=True)  # the requester's, for messages
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)  # one line: the exception's type and message
    traceback = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the backend's id of the task
    worker = models.CharField(max_length=255, blank=True)  # "host:pid" of the process running it

    objects: ClassVar[models.Manager[Job]] = models.Manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
