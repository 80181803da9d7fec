from django.contrib import admin

from pacesetter.ledger.models import (
    Account,
    AccountMonth,
    Activity,
    ActivityMonth,
    Deal,
    DealMonth,
    ImportSlot,
    ImportStep,
    ManualEntry,
)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "segment", "owner", "acquired_on", "churned_on", "source"]
    list_filter = ["segment", "source"]
    search_fields = ["name", "external_id"]
    autocomplete_fields = ["owner"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "person", "account", "segment", "source"]
    list_filter = ["kind", "segment", "source"]
    search_fields = ["external_id", "person__full_name"]
    raw_id_fields = ["person", "account"]
    # Millions of rows: never count them all for the paginator, never sort the whole table.
    show_full_result_count = False
    ordering = ["-id"]


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "amount", "stage", "status", "created_on", "closed_on"]
    list_filter = ["status", "segment", "source"]
    search_fields = ["name", "external_id", "owner__full_name"]
    raw_id_fields = ["owner", "account"]
    show_full_result_count = False


@admin.register(ManualEntry)
class ManualEntryAdmin(admin.ModelAdmin):
    list_display = ["person", "metric", "first_day", "value", "source", "updated_at"]
    list_filter = ["metric", "source"]
    search_fields = ["person__full_name", "metric"]
    raw_id_fields = ["person", "entered_by"]


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


class ImportStepInline(admin.TabularInline):
    model = ImportStep
    fields = ["number", "inserted", "updated"]
    readonly_fields = ["number", "inserted", "updated"]
    extra = 0
    can_delete = False


class JournalAdmin(admin.ModelAdmin):
    """The journal of an import being written in steps (``importers/steps.py``): look,
    never edit. A slot left by a dead process is undone by the next import or the worker."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportStep)
class ImportStepAdmin(JournalAdmin):
    list_display = ["slot", "number"]
    readonly_fields = ["slot", "number", "inserted", "updated"]


@admin.register(ImportSlot)
class ImportSlotAdmin(JournalAdmin):
    list_display = ["kind", "source", "host", "pid", "started_at", "heartbeat_at"]
    readonly_fields = ["kind", "source", "host", "pid", "started_at", "heartbeat_at", "stamp"]
    inlines = [ImportStepInline]
