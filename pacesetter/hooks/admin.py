"""Webhooks in the Django admin: endpoints (the secret is shown once, when one is added, and
never again) and the delivery log (read only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pacesetter.hooks.models import Attempt, Delivery, Endpoint, EventType
from pacesetter.hooks.services import endpoint_create


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None chosen: every event."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "enabled"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "enabled", "created_at"]
    list_filter = ["enabled"]

    def save_model(self, request: Any, obj: Endpoint, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        endpoint, secret = endpoint_create(
            name=obj.name, url=obj.url, events=obj.events or [], created_by=request.user
        )
        if not obj.enabled:
            Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False)
        obj.pk, obj.secret = endpoint.pk, endpoint.secret
        self.message_user(
            request,
            _("The signing secret of %(name)s is %(secret)s. Copy it now: it is not shown again.")
            % {"name": endpoint.name, "secret": secret},
            messages.WARNING,
        )


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["number", "at", "status_code", "error", "duration_ms"]
    readonly_fields = ["number", "at", "status_code", "error", "duration_ms"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "endpoint", "event_type", "status", "attempts",
                    "last_status_code", "last_error"]  # fmt: skip
    list_filter = ["status", "event_type", "endpoint"]
    readonly_fields = ["endpoint", "event_type", "event_key", "body", "status", "attempts",
                       "last_status_code", "last_error", "created_at", "next_attempt_at",
                       "delivered_at"]  # fmt: skip
    inlines = [AttemptInline]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
