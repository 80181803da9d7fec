"""TV links: one board — a competition's leaderboard or a collective goal — on a screen
nobody logs in to (an office TV), reached by a signed link that shows that board only.

The link carries ``signing.dumps([link id, secret])``: tampering breaks the signature, and
the row keeps only a SHA-256 hash of the secret, so the database alone cannot rebuild a
working link (it is shown once, when made). A link stops working when it expires or is
revoked; ``tv_link_resolve`` then answers None, as for a link that never was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pacesetter.goals.models import Goal
from pacesetter.tracking.models import TvLink

TV_SALT = "pacesetter.tracking.tv"
TV_LINK_DAYS = 30
TV_KINDS = (Goal.Kind.COMPETITION, Goal.Kind.COLLECTIVE)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tv_link_create(*, goal: Goal, by: User | None, days: int = TV_LINK_DAYS) -> tuple[TvLink, str]:
    """A new link to ``goal``'s board for ``days``; returns the row and the token (the only
    time the token exists: keep it in the URL shown to the manager)."""
    if goal.unit_id is None or goal.kind not in TV_KINDS:
        raise ValidationError(_("Only a team's competition or collective goal has a TV board."))
    if not 1 <= days <= 366:
        raise ValidationError(_("A TV link lasts from 1 to 366 days."))
    secret = secrets.token_urlsafe(24)
    link = TvLink.objects.create(
        goal=goal,
        secret_hash=_hash(secret),
        created_by=by,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return link, signing.dumps([link.pk, secret], salt=TV_SALT)


def tv_link_revoke(*, link: TvLink, by: User | None) -> TvLink:
    """Stop ``link`` now (revoking twice keeps the first time)."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def tv_link_resolve(token: str) -> TvLink | None:
    """The live link ``token`` stands for, its goal and unit loaded; None when the token is
    tampered with or unknown, or the link expired or was revoked."""
    try:
        pk, secret = signing.loads(token, salt=TV_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(secret, str):
        return None
    link = TvLink.objects.select_related("goal", "goal__unit").filter(pk=pk).first()
    if link is None or not hmac.compare_digest(link.secret_hash, _hash(secret)):
        return None
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    return link


def tv_links_live(goal_ids: Iterable[int]) -> list[TvLink]:
    """The links of these goals that still work, newest first (one query)."""
    return list(
        TvLink.objects.filter(
            goal_id__in=list(goal_ids), revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("goal", "goal__unit", "created_by")
    )


def tv_linked_goals(unit_ids: Iterable[int]) -> list[Goal]:
    """The goals of these units that have a link that still works (one query)."""
    return list(
        Goal.objects.filter(
            unit_id__in=list(unit_ids),
            kind__in=TV_KINDS,
            tv_links__revoked_at__isnull=True,
            tv_links__expires_at__gt=timezone.now(),
        )
        .distinct()
        .select_related("unit")
    )
