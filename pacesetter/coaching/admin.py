from django.contrib import admin

from pacesetter.coaching.models import CheckIn


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["person", "goal", "realistic", "challenging", "achievable", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["person__full_name", "comment"]
    raw_id_fields = ["person", "goal", "created_by"]
    date_hierarchy = "created_at"
