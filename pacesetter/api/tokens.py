"""Writes and look-ups of personal access tokens (``AccessToken``).

A token reads ``pst_<8 characters>_<43 characters>``: the first part is its prefix, kept to
tell tokens apart in a list; the whole token is kept only as its SHA-256 digest. It is shown
once, by ``token_create``; ``token_user`` finds the user of a token that is neither revoked
nor expired.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import OperationalError
from django.utils import timezone

from pacesetter.api.models import AccessToken

PREFIX = "pst_"
USED_EVERY = dt.timedelta(minutes=1)  # "last used" is written at most once a minute
MAX_NAME = 100


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    raw: str  # shown once, never stored


def token_create(*, user: User, name: str, expires_at: dt.datetime | None = None) -> NewToken:
    """A new token for ``user``; the raw token is in the answer and nowhere else."""
    name = name.strip()[:MAX_NAME]
    if not name:
        raise ValueError("a token needs a name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("a token must expire in the future")
    prefix = PREFIX + secrets.token_hex(4)
    raw = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = AccessToken.objects.create(
        user=user, name=name, prefix=prefix, digest=digest_of(raw), expires_at=expires_at
    )
    return NewToken(token, raw)


def token_revoke(*, token: AccessToken) -> AccessToken:
    """Refuse ``token`` from now on (revoking twice keeps the first time)."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db()
    return token


def token_user(raw: str) -> tuple[AccessToken, User] | None:
    """The token ``raw`` and its user, if the token is known, active and its user too."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = AccessToken.objects.select_related("user").filter(digest=digest_of(raw)).first()
    now = timezone.now()
    if token is None or not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - USED_EVERY:
        # Best effort: a read is not refused because SQLite's writer is busy (an import).
        with contextlib.suppress(OperationalError):
            AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token, token.user


def tokens_of(user: User) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user))
