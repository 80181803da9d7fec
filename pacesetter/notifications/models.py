"""Notifications: what happened that a person wants to know, and how each person wants to
hear of it.

A ``Notification`` keeps the kind of event and its parameters (JSON), never a sentence: the
text is written when it is read, in the reader's language (``kinds.text_of``). Its ``key``
names the event (``at_risk:<goal>:<week>``, ``reward:<award>``): one row per recipient and
key, so an event announced twice (a scan run again, a signal and a scan) is one notice.
The same row records whether it is shown in the app and how its e-mail and chat delivery
went.

A ``NotificationPreference`` is a person's choice for one kind; without a row the defaults
of ``kinds.default_choice`` apply.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pacesetter.org.models import Person


class Kind(models.TextChoices):
    GOAL_CHANGED = "goal_changed", _("Goal changed")
    CHECKIN_REQUESTED = "checkin_requested", _("Check-in requested")
    AT_RISK = "at_risk", _("Goal at risk")
    REWARD_EARNED = "reward_earned", _("Reward earned")
    COLLECTIVE_MET = "collective_met", _("Collective goal met")


class Delivery(models.TextChoices):
    NONE = "", _("not wanted")
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)  # a path in the app, "" for none
    key = models.CharField(max_length=200)  # the event: one notice per recipient and key
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    in_app = models.BooleanField(default=True)  # shown in the list (the person's choice)
    email_status = models.CharField(
        max_length=8, choices=Delivery.choices, default=Delivery.NONE, blank=True
    )
    chat_status = models.CharField(
        max_length=8, choices=Delivery.choices, default=Delivery.NONE, blank=True
    )

    objects: ClassVar[models.Manager[Notification]] = models.Manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            # A person's list, newest first, and the unread count in the navigation.
            models.Index(fields=["recipient", "in_app", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind} · {self.key}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)
    chat = models.BooleanField(default=False)

    objects: ClassVar[models.Manager[NotificationPreference]] = models.Manager()

    class Meta:
        ordering = ["person", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind}"
