"""The busiest pages are served again from memory until the data changes (``page_cache.py``).

A kept page is only ever served to the user it was computed for, in the same language, on
the same day, with the same CSRF secret, while nothing was written to the database. Every
test here compares with what the page shows when computed afresh.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacesetter import data_version
from pacesetter.conftest import PASSWORD, SUITE_NOW
from pacesetter.goals.models import Goal
from pacesetter.web.page_cache import page_key

pytestmark = pytest.mark.time_machine(SUITE_NOW)

# A page served again: on PostgreSQL the data version (the WAL position), on SQLite nothing;
# nothing of the page itself, nor the org's settings, the session or the user (all kept
# until a write: web/middleware.py, web/sessions.py).
HIT_QUERIES = 1 if connection.vendor == "postgresql" else 0


def _get(client: Client, url: str, **headers: str):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response


def _cache(response) -> str:
    timing = response["Server-Timing"]
    return "hit" if 'page;desc="hit"' in timing else "miss" if "page;" in timing else "-"


def _kept_and_served(client: Client, url: str, **headers: str) -> tuple:
    """The page computed and kept, then asked for again: (first, second) answers, from a
    pair during which nothing was written. On PostgreSQL the data version is the server's
    WAL position, which anything on the server may move (autovacuum, another database):
    then the pair is asked again, up to 20 times."""
    for _ in range(20):
        before = data_version.current(connection)
        first = _get(client, url, **headers)
        with CaptureQueriesContext(connection) as queries:
            second = _get(client, url, **headers)
        second.queries = len(queries.captured_queries)
        if data_version.current(connection) == before:
            return first, second
    raise AssertionError("the data version never stood still for two requests")


def _logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_second_view_of_the_team_page_is_the_same_page_from_memory(web_org):
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    client.get(url)  # the first visit: the CSRF cookie is set
    first, second = _kept_and_served(client, url)
    assert (_cache(first), _cache(second)) == ("miss", "hit")
    assert second.content == first.content
    assert second.queries == HIT_QUERIES
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"]  # the middleware still dresses the answer


def test_a_write_makes_the_page_computed_afresh(web_org):
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    client.get(url)
    assert _cache(_kept_and_served(client, url)[1]) == "hit"
    Goal.objects.filter(pk=web_org.bob_demos.pk).update(target=987)
    after = _get(client, url)
    assert _cache(after) == "miss"
    assert "987" in after.content.decode()


def test_a_kept_page_is_never_served_to_someone_else(web_org):
    """Mia's team page, kept, is not what Charlie (a rep of the other team) gets at the
    same address: he is still refused; Rhea (their regional manager) gets her own."""
    mia = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    mia.get(url)
    assert _cache(_kept_and_served(mia, url)[1]) == "hit"
    charlie = _logged_in("charlie")
    charlie.get(reverse("home"))  # his CSRF cookie
    assert charlie.get(url).status_code in (403, 404)
    rhea = _logged_in("rhea")
    rhea.get(url)
    assert _cache(_get(rhea, url)) == "miss"


def test_each_language_and_each_day_has_its_own_page(web_org):
    client = _logged_in("alice")
    url = reverse("home")
    client.get(url)
    english, again = _kept_and_served(client, url)
    assert _cache(again) == "hit"
    chinese = _get(client, url, **{"Accept-Language": "zh-hans"})
    assert _cache(chinese) == "miss" and chinese.content != english.content
    with time_machine.travel(SUITE_NOW + dt.timedelta(days=1)):
        assert _cache(_get(client, url)) == "miss"


def test_a_page_with_a_message_to_show_is_not_taken_from_memory(web_org, rf):
    """A message waiting to be shown ("Saved.") is shown by a page computed for it, and
    consumed there; a kept page would neither show nor consume it."""
    request = rf.get(reverse("home"))
    request.user = web_org.org.alice.user
    request.COOKIES[settings.CSRF_COOKIE_NAME] = "x" * 32
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = default_storage(request)
    assert page_key(request) is not None
    messages.success(request, "Saved.")
    assert page_key(request) is None


def test_no_page_is_kept_when_the_cache_is_off(web_org, settings):
    settings.PAGE_CACHE_ENTRIES = 0
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    client.get(url)
    _get(client, url)
    assert _cache(_get(client, url)) == "-"


def test_the_data_version_moves_with_every_write(web_org):
    """(That a read leaves SQLite's header alone is in tests/test_data_version.py; on
    PostgreSQL even a read may write WAL, pruning a page: a recompute, never a stale page.)"""
    for target in (5, 6, 7):
        before = data_version.current(connection)
        assert before is not None
        Goal.objects.filter(pk=web_org.bob_demos.pk).update(target=target)
        assert data_version.current(connection) != before


def test_pages_kept_in_a_directory_are_served_by_any_server_process(web_org, settings, tmp_path):
    """With ``PACESETTER_PAGE_CACHE_DIR`` (the default: ``var/page-cache``) a kept page is a
    file in a directory every server process shares: what one worker computed, another
    serves. The files are the server's alone (0600, in a 0700 directory)."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 50},
        },
    }  # (the settings fixture's signal drops the cache handlers made before)
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    client.get(url)
    first, second = _kept_and_served(client, url)
    assert (_cache(first), _cache(second)) == ("miss", "hit")
    assert second.content == first.content
    kept = list((tmp_path / "pages").iterdir())
    assert kept and all(f.stat().st_mode & 0o077 == 0 for f in kept)
    assert (tmp_path / "pages").stat().st_mode & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_data_version_is_every_process_s():
    """Outside a transaction every write of this process is committed, and the database's
    part alone tells: the value names no process (so processes share kept pages). Inside
    one, this process's uncommitted writes count too, under its own id."""
    from django.db import transaction

    outside = data_version.current(connection)
    assert outside is not None and outside.endswith(":")
    with transaction.atomic():
        inside = data_version.current(connection)
    assert inside is not None and inside.split(":")[-1].startswith(f"{os.getpid()}.")
