from typing import Any

from django.contrib import admin

from pacesetter.goals.models import (
    CollectiveExclusion,
    Goal,
    GoalChange,
    PeriodReopening,
    Plan,
    PlanLine,
    PlannedHire,
)


class GoalChangeInline(admin.TabularInline):
    model = GoalChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "changed_by", "old_target", "new_target", "reason"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "fiscal_year", "metric", "annual_target"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "activated_at"]


@admin.register(PlanLine)
class PlanLineAdmin(admin.ModelAdmin):
    list_display = ["plan", "level", "unit", "person", "month", "target"]
    list_filter = ["level", "plan"]
    raw_id_fields = ["plan", "unit", "person", "seat"]
    show_full_result_count = False


@admin.register(PlannedHire)
class PlannedHireAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "start_month", "filled_by"]
    autocomplete_fields = ["team", "filled_by"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["metric", "person", "unit", "period_kind", "period_start", "target", "kind"]
    list_filter = ["kind", "period_kind", "metric"]
    search_fields = ["person__full_name", "unit__name", "metric"]
    raw_id_fields = ["person", "unit", "plan", "tier_of"]
    # A target changes on the goal's page (with its reason, its version, and never in a
    # closed period: goals/targets.py), not here.
    inlines = [GoalChangeInline]

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is None else ["target", "version"]


@admin.register(GoalChange)
class GoalChangeAdmin(admin.ModelAdmin):
    list_display = ["goal", "old_target", "new_target", "changed_by", "changed_at", "reason"]
    raw_id_fields = ["goal", "changed_by"]


@admin.register(CollectiveExclusion)
class CollectiveExclusionAdmin(admin.ModelAdmin):
    list_display = ["person", "goal", "unit", "period_start", "period_end", "reason", "created_by"]
    raw_id_fields = ["goal", "unit", "person", "created_by"]
    readonly_fields = ["created_at"]


@admin.register(PeriodReopening)
class PeriodReopeningAdmin(admin.ModelAdmin):
    """Re-opened periods are a record: they are re-opened and closed on the Closed periods
    page or with ``pacesetter period`` (``goals.periods``, which check who may and that the
    period has ended); here they are only read."""

    list_display = ["period_start", "period_end", "reason", "reopened_by", "reopened_at",
                    "closed_at"]  # fmt: skip

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
