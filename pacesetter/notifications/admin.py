from django.contrib import admin

from pacesetter.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "read_at", "email_status", "chat_status")
    list_filter = ("kind", "email_status", "chat_status")
    search_fields = ("recipient__full_name", "key")
    raw_id_fields = ("recipient",)
    readonly_fields = ("key", "params", "created_at")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "in_app", "email", "chat")
    list_filter = ("kind",)
    raw_id_fields = ("person",)
