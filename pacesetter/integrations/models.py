"""A CRM sync as people see it (``SyncRun``) and where the next one starts (``SyncCursor``)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERRORS_KEPT = 50  # errors kept on a run (the count is kept whole)


class SyncRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        PARTIAL = "partial", _("done, with rows refused")
        FAILED = "failed", _("failed")

    connector = models.CharField(max_length=32)
    started = models.DateTimeField(default=timezone.now, db_index=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    full = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)  # deleted or merged away in the CRM
    # [{"object": "deals", "row": 3, "column": "owner", "value": "…", "reason": "…"}, …]
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    unmatched_owners = models.JSONField(default=list, blank=True)  # [{"id", "name", "rows"}]
    cursor_before = models.JSONField(default=dict, blank=True)  # object type → cursor
    cursor_after = models.JSONField(default=dict, blank=True)
    requested_by = models.CharField(max_length=150, blank=True)  # a username, or "schedule"

    objects: ClassVar[models.Manager[SyncRun]] = models.Manager()

    class Meta:
        ordering = ["-started", "-pk"]

    def __str__(self) -> str:
        return f"{self.connector} sync #{self.pk} ({self.status})"


class SyncCursor(models.Model):
    """The newest modification a connector has written, per object type: the next
    incremental sync asks the CRM for what changed since then."""

    connector = models.CharField(max_length=32)
    object_type = models.CharField(max_length=40)
    cursor = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[SyncCursor]] = models.Manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connector", "object_type"], name="sync_cursor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.connector} {self.object_type}: {self.cursor}"
