"""Tracking's own rows: the signed links that show one board on a TV (``tracking/tv.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pacesetter.goals.models import Goal


class TvLink(models.Model):
    """A link that shows one board — a competition's leaderboard or a collective goal — on a
    screen nobody logs in to. Only a hash of the link's secret is kept: the link is shown
    once, when it is made; it stops working when it expires or is revoked."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tv_links")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("TV link")
        verbose_name_plural = _("TV links")

    def __str__(self) -> str:
        return f"TV link {self.pk} (goal {self.goal_id})"
