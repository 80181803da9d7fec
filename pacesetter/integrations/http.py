"""HTTP for connectors: timeouts, the vendors' rate-limit headers, and bounded back-off.

A 429 or a 5xx (and a connection that fails or times out) is tried again, at most
``retries`` times: after ``Retry-After`` when the answer gives one (seconds or an HTTP
date, capped at ``max_wait``), else after 1, 2, 4 … seconds. When a vendor says how many
calls are left in its window (HubSpot's ``X-HubSpot-RateLimit-Remaining``, Pipedrive's and
Salesforce's ``X-RateLimit-Remaining``/``Sforce-Limit-Info``) and none are, the client waits
for the window before the next call. Any other 4xx is an ``ApiError`` at once.

Secrets travel in headers only, never in URLs, and no message repeats a header: an error
names the method, the path and the status.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

logger = logging.getLogger(__name__)

RETRIED = frozenset({429, 500, 502, 503, 504})
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
REMAINING_HEADERS = ("x-hubspot-ratelimit-remaining", "x-ratelimit-remaining")
WINDOW_HEADERS = ("x-hubspot-ratelimit-interval-milliseconds",)
RESET_HEADERS = ("x-ratelimit-reset",)  # Pipedrive: seconds until the window resets


class ApiError(Exception):
    """The CRM refused a call, or kept failing after the retries."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = body[:500]


class Client:
    """One CRM's API: a base URL, the headers that authenticate, and the retry policy.

    ``sleep`` is how the client waits (tests pass one that records the waits)."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        retries: int = 5,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries, self.max_wait, self.sleep = retries, max_wait, sleep
        self.calls = 0
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=dict(headers or {}),
            timeout=TIMEOUT,
            transport=transport,
            follow_redirects=False,
        )
        self._wait_before_next = 0.0

    def close(self) -> None:
        self._http.close()

    def set_header(self, name: str, value: str) -> None:
        self._http.headers[name] = value

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None, data: Mapping[str, str] | None = None) -> Any:
        return self.request("POST", path, json=json, data=data)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """The answer's JSON; ``ApiError`` when refused or still failing after retries."""
        where = f"{method} {urlsplit(path).path or path}"
        for attempt in range(self.retries + 1):
            if self._wait_before_next:
                self.sleep(self._wait_before_next)
                self._wait_before_next = 0.0
            self.calls += 1
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as error:  # refused, reset, timed out
                if attempt == self.retries:
                    raise ApiError(f"{where}: {type(error).__name__}") from None
                self.sleep(self._backoff(attempt, None))
                continue
            if response.status_code in RETRIED and attempt < self.retries:
                wait = self._backoff(attempt, response)
                logger.info("%s answered %s: again in %.1f s", where, response.status_code, wait)
                self.sleep(wait)
                continue
            if response.status_code >= 400:
                raise ApiError(
                    f"{where} answered {response.status_code}",
                    status=response.status_code,
                    body=response.text,
                )
            self._note_limits(response.headers)
            return response.json() if response.content else None
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            after = retry_after(response.headers.get("retry-after"))
            if after is None:  # Pipedrive says when its window resets instead
                after = _first_int(response.headers, RESET_HEADERS)
            if after is not None:
                return min(float(after), self.max_wait)
        return min(2.0**attempt, self.max_wait)

    def _note_limits(self, headers: httpx.Headers) -> None:
        """None left in the window: wait for it before the next call."""
        remaining = _first_int(headers, REMAINING_HEADERS)
        if remaining is None or remaining > 0:
            return
        window_ms = _first_int(headers, WINDOW_HEADERS)
        reset = _first_int(headers, RESET_HEADERS)
        wait = window_ms / 1000 if window_ms else float(reset) if reset else 1.0
        self._wait_before_next = min(wait, self.max_wait)


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date; None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or dt.datetime.now(dt.UTC)
    return max((when - now).total_seconds(), 0.0)


def _first_int(headers: httpx.Headers, names: tuple[str, ...]) -> int | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            try:
                return int(value)
            except ValueError:
                continue
    return None
