"""``pacesetter token create|revoke|list``: personal access tokens for the JSON API.

pacesetter token create --user olga --name "nightly report" [--days 90]
pacesetter token list [--user olga] [--format table|csv|json]
pacesetter token revoke 3

A new token is printed once; only its prefix and a SHA-256 fingerprint are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pacesetter.api.models import AccessToken
from pacesetter.api.tokens import token_create, token_revoke
from pacesetter.tabular import FORMATS, render


class Command(BaseCommand):
    help = "API tokens: make one for a user (printed once), list them, revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("create", help="make a token for a user (printed once)")
        p.add_argument("--user", metavar="LOGIN", required=True, help="whose token it is")
        p.add_argument("--name", required=True, help="what it is for")
        p.add_argument(
            "--days", type=int, default=90, help="days until it expires (0: never; default 90)"
        )
        p = sub.add_parser("list", help="tokens, newest first (never the tokens themselves)")
        p.add_argument("--user", metavar="LOGIN", help="only this user's")
        p.add_argument("--format", choices=FORMATS, default="table")
        p = sub.add_parser("revoke", help="refuse a token from now on")
        p.add_argument("id", type=int, help="the token's id (see `token list`)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(options)
        else:
            token = AccessToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"no token with id {options['id']}")
            token_revoke(token=token)
            self.stdout.write(f"Token {token.pk} ({token.prefix}…) is revoked.")

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["user"])
        days = options["days"]
        if days < 0:
            raise CommandError("--days must be 0 (never) or more")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            new = token_create(user=user, name=options["name"], expires_at=expires)
        except ValueError as error:
            raise CommandError(str(error)) from None
        until = f"until {expires:%Y-%m-%d}" if expires else "until revoked"
        self.stderr.write(f"Token {new.token.pk} for {user.get_username()}, {until}. Copy it now:")
        self.stdout.write(new.raw)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = AccessToken.objects.select_related("user")
        if options.get("user"):
            tokens = tokens.filter(user=_user(options["user"]))
        now = timezone.now()
        rows = [
            {
                "id": t.pk,
                "user": t.user.get_username(),
                "name": t.name,
                "prefix": t.prefix,
                "created": f"{t.created_at:%Y-%m-%d %H:%M}",
                "last_used": f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "",
                "expires": f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never",
                "status": "revoked"
                if t.revoked_at
                else ("active" if t.is_active(now) else "expired"),
            }
            for t in tokens
        ]
        self.stdout.write(render(rows, options["format"]))


def _user(login: str) -> Any:
    user = get_user_model().objects.filter(username=login).first()
    if user is None:
        raise CommandError(f"no user with login {login!r}")
    return user
