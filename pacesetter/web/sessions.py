"""The session and the signed-in user, read once per data version instead of once per request.

Every page asks the database for the visitor's session and then their user: two queries
before anything of the page, most of what a page served from the page cache
(``page_cache.py``) costs — on PostgreSQL two round trips of about 0.6 ms each. Both are
kept in this process's memory (the ``default`` cache) under the session key *and the data
version* (``data_version.py``), which moves with every write to the database by anyone. So
a logout, a password change, a deactivated user or an expired session removed by
``clearsessions`` — each a write — make every kept copy, in every process, unreachable.
A kept session is also checked against its own expiry date on each use.

Only GET and HEAD requests use kept copies: a request that writes (a POST) may read its
session or user after its own write, and reads them from the database as always. The
version is the one the first middleware read (``web.middleware.data_version_first``); with
none (SQLite not in WAL mode) nothing is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from pacesetter import data_version

KEPT = "default"  # per process, each value a copy (LocMem pickles)


def _key(kind: str, session_key: str, version: str) -> str:
    return f"{kind}:{session_key}:{version}"


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, each read kept under the data version (see above)."""

    def load(self) -> dict[str, Any]:
        version = data_version.REQUEST.get()
        if version is None or not self.session_key:
            return super().load()
        store = caches[KEPT]
        key = _key("session", self.session_key, version)
        kept: tuple[dict[str, Any], dt.datetime] | None = store.get(key)
        if kept is not None and kept[1] > timezone.now():
            return kept[0]
        row = self._get_session_from_db()  # type: ignore[attr-defined]  # (Django's own read)
        if row is None:
            return {}
        data = self.decode(row.session_data)
        store.set(key, (data, row.expire_date))
        return data


def _user(request: HttpRequest) -> Any:
    version = data_version.REQUEST.get()
    # The session's data first (kept or read): an ended session has no user in it, though
    # its key is still the cookie's.
    user_id = request.session.get(SESSION_KEY)
    if version is None or user_id is None:
        return get_user(request)
    store = caches[KEPT]
    key = _key("user", f"{request.session.session_key}:{user_id}", version)
    user = store.get(key)
    if user is None:
        user = get_user(request)
        if user.is_authenticated:  # the anonymous user costs no query
            store.set(key, user)
    return user


class KeptUserMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, with the user kept as above."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))  # type: ignore[assignment]
