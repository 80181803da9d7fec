"""The session and the user are read once per data version (``web/sessions.py``), and a
kept copy never outlives what ended it: a logout, an expiry, a password changed elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacesetter.conftest import PASSWORD, SUITE_NOW

pytestmark = [pytest.mark.time_machine(SUITE_NOW), pytest.mark.usefixtures("quiet_database")]


def _logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _reads_of_session_and_user(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        ("django_session" in q["sql"] or '"auth_user"' in q["sql"])
        and q["sql"].lstrip().upper().startswith("SELECT")
        for q in queries.captured_queries
    )


def _same_session(client: Client) -> Client:
    """Another browser holding a copy of the same session cookie (a copied or stolen one)."""
    other = Client()
    other.cookies.load({name: morsel.value for name, morsel in client.cookies.items()})
    return other


def test_while_nothing_is_written_the_session_and_user_are_read_once(web_org, settings):
    settings.PAGE_CACHE_ENTRIES = 0  # the page itself computed each time
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    assert _reads_of_session_and_user(client, url) > 0
    assert _reads_of_session_and_user(client, url) == 0


def test_after_a_logout_the_same_cookie_is_nobody_s(web_org, settings):
    settings.PAGE_CACHE_ENTRIES = 0
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    thief = _same_session(client)
    assert _reads_of_session_and_user(thief, url) > 0
    assert _reads_of_session_and_user(thief, url) == 0  # kept, under this data version
    client.post(reverse("logout"))
    assert thief.get(url).status_code == 302  # to the login page: the session is gone


def test_a_password_changed_elsewhere_ends_the_session(web_org):
    client = _logged_in("mia")
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    assert client.get(url).status_code == 200
    mia = User.objects.get(username="mia")
    mia.set_password("a new secret of hers")
    mia.save()
    assert client.get(url).status_code == 302


def test_a_kept_session_ends_at_its_expiry_though_nothing_was_written(web_org, settings):
    settings.PAGE_CACHE_ENTRIES = 0
    client = _logged_in("mia")
    session = client.session
    session.set_expiry(60)  # a minute from now (kept copies live longer: five minutes)
    session.save()
    url = reverse("unit_team", args=[web_org.org.alpha.pk])
    _reads_of_session_and_user(client, url)
    assert _reads_of_session_and_user(client, url) == 0  # kept
    with time_machine.travel(SUITE_NOW + dt.timedelta(seconds=61)):
        assert client.get(url).status_code == 302
