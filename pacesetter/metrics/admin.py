from django.contrib import admin

from pacesetter.metrics.models import AccountMonth, ActivityMonth, DealMonth, Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "source", "aggregation", "direction", "unit", "built_in"]
    list_filter = ["source", "aggregation", "built_in"]
    search_fields = ["name", "label"]

    def get_readonly_fields(self, request, obj=None):
        # Built-in names are an interface (goals, scripts and imports use them).
        return ["name", "built_in"] if obj is not None and obj.built_in else ["built_in"]


class RollupAdmin(admin.ModelAdmin):
    """Rollups are derived from the ledger: look, never edit (``rollups.rebuild`` repairs)."""

    raw_id_fields = ["person"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActivityMonth)
class ActivityMonthAdmin(RollupAdmin):
    list_display = ["person", "month", "kind", "segment", "count"]
    list_filter = ["kind", "segment"]


@admin.register(DealMonth)
class DealMonthAdmin(RollupAdmin):
    list_display = ["person", "month", "status", "segment", "count", "amount"]
    list_filter = ["status"]


@admin.register(AccountMonth)
class AccountMonthAdmin(RollupAdmin):
    raw_id_fields = ["account"]
    list_display = ["account", "month", "touches"]
