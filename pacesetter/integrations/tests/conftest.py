"""A real local HTTP server that answers with recorded vendor responses (``recorded/``).

``api.add(method, path, file_or_body, status=200, headers=…, when=…)`` queues one answer for
a route; answers of a route are given in the order they were added (the last one repeats).
``when`` picks among a route's answers by the request (its query or JSON body). Every
request is kept in ``api.requests`` for the tests to check what the connector asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pacesetter.integrations.http import Client
from pacesetter.org.models import CrmIdentity

RECORDED = Path(__file__).parent / "recorded"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]
    when: Callable[[Seen], bool] | None = None
    used: bool = False


@dataclass
class RecordedApi:
    url: str = ""
    routes: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def add(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        when: Callable[[Seen], bool] | None = None,
    ) -> None:
        if isinstance(body, str) and body.endswith(".json"):
            body = json.loads((RECORDED / body).read_text())
        self.routes.setdefault((method, path), []).append(Answer(status, body, headers or {}, when))

    def answer(self, seen: Seen) -> Answer | None:
        answers = [
            a for a in self.routes.get((seen.method, seen.path), [])
            if a.when is None or a.when(seen)
        ]  # fmt: skip
        if not answers:
            return None
        for answer in answers:
            if not answer.used:
                answer.used = True
                return answer
        return answers[-1]

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.requests if s.path == path]


def _handler(api: RecordedApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            content_type = self.headers.get("Content-Type") or ""
            if "json" in content_type and raw:
                body: Any = json.loads(raw)
            else:
                body = {k: v[0] for k, v in parse_qs(raw.decode()).items()} if raw else None
            seen = Seen(method, parts.path, parse_qs(parts.query), dict(self.headers), body)
            api.requests.append(seen)
            answer = api.answer(seen)
            if answer is None:
                answer = Answer(404, {"status": "error", "message": "not recorded"}, {})
            payload = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


@pytest.fixture
def api() -> Iterator[RecordedApi]:
    recorded = RecordedApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorded))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorded.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield recorded
    server.shutdown()
    server.server_close()


@pytest.fixture
def waits() -> list[float]:
    """The waits a client asked for (recorded instead of slept)."""
    return []


@pytest.fixture
def client_for(api: RecordedApi, waits: list[float]) -> Callable[..., Client]:
    def make(headers: dict[str, str] | None = None, retries: int = 5) -> Client:
        return Client(api.url, headers=headers, retries=retries, sleep=waits.append)

    return make


@pytest.fixture
def crm_people(small_org):
    """Alice, Bob and Charlie as the CRMs know them (the org file's crm_id column)."""
    ids = {
        "hubspot": ("88204511", "88204512", "88204513"),
        "pipedrive": ("13088001", "13088002", "13088003"),
        "salesforce": ("005Hp00000Ak3RqIAJ", "005Hp00000BmT7wIAF", "005Hp00000Cx9LzIAJ"),
    }
    for source, keys in ids.items():
        for person, key in zip((small_org.alice, small_org.bob, small_org.charlie), keys,
                               strict=True):  # fmt: skip
            CrmIdentity.objects.create(person=person, source=source, crm_id=key)
    return small_org
