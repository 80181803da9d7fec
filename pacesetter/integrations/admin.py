from typing import Any

from django.contrib import admin

from pacesetter.integrations.models import SyncCursor, SyncRun


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["id", "connector", "status", "started", "finished", "created", "updated",
                    "rejected", "removed", "full", "dry_run"]  # fmt: skip
    list_filter = ["connector", "status"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: SyncRun | None = None) -> bool:
        return False


@admin.register(SyncCursor)
class SyncCursorAdmin(admin.ModelAdmin):
    """A cursor deleted here makes the next sync of that object type read every record."""

    list_display = ["connector", "object_type", "cursor", "updated_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False
