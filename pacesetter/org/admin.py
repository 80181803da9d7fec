from typing import Any

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pacesetter.org.models import (
    CrmIdentity,
    Holiday,
    Membership,
    OrgSettings,
    Person,
    Role,
    Unit,
)
from pacesetter.org.signals import time_zone_changed


@admin.register(OrgSettings)
class OrgSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "time_zone", "fiscal_year_start_month", "week_start"]
    fieldsets = [
        (None, {"fields": ["name", "currency", "time_zone"]}),
        (_l("Calendar"), {"fields": ["fiscal_year_start_month", "week_start", "working_weekdays"]}),
        (_l("Pace"), {"fields": ["pace_on_track", "pace_at_risk"]}),
        (_l("Realism"), {"fields": ["realism_unlikely_below", "realism_too_easy_above"]}),
        (
            _l("Who needs a conversation"),
            {
                "fields": [
                    "risk_top_goals",
                    "risk_wait_share",
                    "risk_likely_below",
                    "risk_savable_from",
                ]
            },
        ),
    ]

    def save_model(self, request: Any, obj: OrgSettings, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "time_zone" in form.changed_data:
            # Whatever is kept per month of the org is recounted by its owner (org.signals),
            # in the background once the new zone is saved: the page answers at once.
            time_zone_changed.send(sender=OrgSettings, settings=obj, user=request.user)
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("The monthly totals are being recounted in the new time zone."),
                    reverse("jobs"),
                    _("Follow it under Tasks."),
                ),
                messages.INFO,
            )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


class CrmIdentityInline(admin.TabularInline):
    model = CrmIdentity
    extra = 0


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["unit", "mentee"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "hire_date", "leave_date", "user", "language"]
    search_fields = ["full_name", "email"]
    list_filter = ["roles__kind", "language"]
    raw_id_fields = ["user"]
    inlines = [MembershipInline, RoleInline, CrmIdentityInline]


@admin.register(CrmIdentity)
class CrmIdentityAdmin(admin.ModelAdmin):
    list_display = ["person", "source", "crm_id"]
    list_filter = ["source"]
    search_fields = ["person__full_name", "crm_id"]
    autocomplete_fields = ["person"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "unit", "valid_from", "valid_to"]
    list_filter = ["unit"]
    search_fields = ["person__full_name", "person__email", "unit__name"]
    autocomplete_fields = ["person", "unit"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "unit", "mentee"]
    list_filter = ["kind"]
    search_fields = ["person__full_name"]
    autocomplete_fields = ["person", "unit", "mentee"]
