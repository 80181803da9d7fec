"""Admin for incentives: rewards, programs and their rules are edited here; a rule is made
active only by an action that checks its exposure against the budget; awards are read-only
(the computation writes them, and their ledger is never edited by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from pacesetter.rewards.models import Award, AwardEntry, Program, Reward, Rule
from pacesetter.rewards.services import OverBudgetError, rule_activate, rule_retire


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "value"]
    list_filter = ["kind"]
    search_fields = ["name"]


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["name", "trigger", "reward", "metric", "period_kind", "top_n", "status"]
    readonly_fields = ["status"]
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "budget", "budget_period", "starts_on", "ends_on"]
    raw_id_fields = ["unit"]
    inlines = [RuleInline]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "trigger", "reward", "status", "over_budget_override"]
    list_filter = ["status", "trigger", "program"]
    readonly_fields = [
        "status", "activated_at", "activated_by", "over_budget_override", "activation_note",
    ]  # fmt: skip
    actions = ["activate", "activate_over_budget", "retire"]

    def _activate(self, request: HttpRequest, rules: QuerySet[Rule], over: bool) -> None:
        user = request.user
        assert isinstance(user, User)  # the admin site lets only staff in
        for rule in rules.select_related("program", "reward"):
            try:
                check = rule_activate(rule=rule, by=user, over_budget=over)
            except OverBudgetError as error:
                self.message_user(
                    request,
                    f"Not activated — {error.check.summary()} "
                    "(use “Activate over budget” to override; the override is recorded).",
                    messages.ERROR,
                )
            else:
                level = messages.WARNING if check.over else messages.SUCCESS
                self.message_user(request, f"Activated — {check.summary()}", level)

    @admin.action(description="Activate (checks the budget)")
    def activate(self, request: HttpRequest, queryset: QuerySet[Rule]) -> None:
        self._activate(request, queryset, over=False)

    @admin.action(description="Activate over budget (the override is recorded)")
    def activate_over_budget(self, request: HttpRequest, queryset: QuerySet[Rule]) -> None:
        self._activate(request, queryset, over=True)

    @admin.action(description="Retire (awards stay)")
    def retire(self, request: HttpRequest, queryset: QuerySet[Rule]) -> None:
        for rule in queryset:
            rule_retire(rule=rule)


class AwardEntryInline(admin.TabularInline):
    model = AwardEntry
    extra = 0
    can_delete = False
    fields = ("seq", "kind", "amount", "funded", "note", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["person", "rule", "goal", "period_start", "value", "status", "funded"]
    list_filter = ["status", "funded", "rule__program"]
    search_fields = ["person__full_name", "person__email", "rule__name"]
    date_hierarchy = "period_start"
    inlines = [AwardEntryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
