"""The connectors' HTTP client: Retry-After, back-off and failures that name no secret."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from pacesetter.integrations.http import ApiError, Client, retry_after


def test_retry_after_reads_seconds_and_http_dates():
    now = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
    assert retry_after("7", now) == 7.0
    assert retry_after("Wed, 18 Nov 2026 15:00:05 GMT", now) == 5.0
    assert retry_after("Wed, 18 Nov 2026 14:00:00 GMT", now) == 0.0  # already past
    assert retry_after("", now) is None and retry_after("soon", now) is None


def test_a_server_that_is_not_there_is_tried_again_then_named(waits):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(f"http://127.0.0.1:{port}", headers={"Authorization": "Bearer s3cret"},
                    retries=2, sleep=waits.append)  # fmt: skip
    with pytest.raises(ApiError) as refused:
        client.get("/crm/v3/owners", params={"limit": 100})
    assert str(refused.value) == "GET /crm/v3/owners: ConnectError"
    assert waits == [1.0, 2.0]


def test_a_long_retry_after_is_capped(api, waits):
    api.add("GET", "/api/v1/users", {"success": False, "error": "Request over limit"},
            status=429, headers={"Retry-After": "3600"})  # fmt: skip
    api.add("GET", "/api/v1/users", {"success": True, "data": []})
    client = Client(api.url, sleep=waits.append, max_wait=60)
    assert client.get("/api/v1/users") == {"success": True, "data": []}
    assert waits == [60.0]
