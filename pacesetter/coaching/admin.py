from django.contrib import admin

from pacesetter.coaching.models import CheckIn, GoalAgreement, MentoringCheckIn, Mentorship


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["person", "goal", "realistic", "challenging", "achievable", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["person__full_name", "comment"]
    raw_id_fields = ["person", "goal", "created_by"]
    date_hierarchy = "created_at"


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    """The dates and focus of mentor roles. Assign and end mentors with ``pacesetter mentors``
    or on the Mentoring page: they keep the role and this record together."""

    list_display = ["mentee", "mentor", "started_on", "ended_on", "focus"]
    list_filter = ["ended_on"]
    search_fields = ["mentee__full_name", "mentor__full_name", "focus"]
    autocomplete_fields = ["mentor", "mentee"]
    raw_id_fields = ["assigned_by"]
    date_hierarchy = "started_on"


@admin.register(MentoringCheckIn)
class MentoringCheckInAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "met_on", "created_at"]
    search_fields = ["mentee__full_name", "mentor__full_name", "notes", "next_steps"]
    autocomplete_fields = ["mentor", "mentee"]
    raw_id_fields = ["created_by"]
    date_hierarchy = "met_on"


@admin.register(GoalAgreement)
class GoalAgreementAdmin(admin.ModelAdmin):
    list_display = ["goal", "mentor", "agreed_on"]
    autocomplete_fields = ["mentor"]
    raw_id_fields = ["goal", "agreed_by"]
    date_hierarchy = "agreed_on"
