"""Outbound webhooks: endpoints that want to hear of events, and each delivery to them.

An ``Endpoint`` is a URL, the events it wants (none listed: all) and a secret that signs
every delivery (``delivery.signature``). The secret is shown once, when the endpoint is
made, and never again (the admin and the page show only that one is set).

A ``Delivery`` is one event for one endpoint: the JSON body as sent (the same bytes on every
attempt, so a receiver can de-duplicate by its ``id``), whether it is waiting, delivered or
failed, and its log of ``Attempt``s (status code, error, duration). One delivery per
endpoint and event key: an event found twice is sent once.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    GOAL_MET = "goal.met", _("Goal met")
    GOAL_AT_RISK = "goal.at_risk", _("Goal at risk")
    REWARD_EARNED = "reward.earned", _("Reward earned")
    COLLECTIVE_GOAL_MET = "collective_goal.met", _("Collective goal met")
    IMPORT_FINISHED = "import.finished", _("Import finished")


class Endpoint(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    # Never shown back: the admin leaves it out, the page says only that one is set.
    secret = models.CharField(max_length=100, editable=False)
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("None chosen: every event.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[models.Manager[Endpoint]] = models.Manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook endpoint")

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RETRYING = "retrying", _("to be retried")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    event_key = models.CharField(max_length=200)  # the event: one delivery per endpoint and key
    body = models.TextField()  # the JSON sent, the same bytes on every attempt
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Delivery]] = models.Manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_key"], name="hooks_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint} ({self.status})"


class Attempt(models.Model):
    """One POST of a delivery: what came back, or why nothing did."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager[Attempt]] = models.Manager()

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error}"
