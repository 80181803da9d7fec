from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pacesetter.jobs.models import Job
from pacesetter.jobs.services import job_retry


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "requested_by", "created_at", "finished_at", "error"]
    list_filter = ["status", "kind"]
    actions = ["retry"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Job | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Run the failed tasks again"))
    def retry(self, request: Any, queryset: QuerySet[Job]) -> None:
        failed = list(queryset.filter(status=Job.Status.FAILED))
        for job in failed:
            job_retry(job=job)
        self.message_user(
            request, _("%(count)s task(s) queued again.") % {"count": len(failed)}, messages.INFO
        )
