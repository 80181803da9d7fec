"""Personal access tokens: how a script or another system calls the API as a user.

A token is shown once, when it is made; only its prefix (to recognise it in a list) and the
SHA-256 digest of the whole token are kept, so a copy of the database gives no way in. A
token can expire and be revoked; either way it is refused from then on.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)  # "pst_ab12cd34", shown in lists
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token, hex
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[AccessToken]] = models.Manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_active(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > moment
