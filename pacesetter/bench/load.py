"""The web under load while an import runs: do people browsing and saving their weekly
numbers get answers, and is every number they saved kept?

A real server (gunicorn, on loopback) serves the benchmark's database while
``pacesetter import`` writes into it. Ten reps (fewer in a small org) log in and, until the
import has finished and for at least a few rounds each, load their home page and save this
week's numbers, each save a new value. Reported: requests, server errors (5xx; 503s, which
ask the client to retry, counted apart), p50/p95 latency, and lost writes — a save the
server confirmed whose value is not the one stored afterwards.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pacesetter.demo.org import DEMO_PASSWORD
from pacesetter.ledger.models import ManualEntry
from pacesetter.org.models import Person, Role

CLIENTS = 10
MIN_ROUNDS = 3  # per client, even when the import is quicker than that
TIMEOUT_S = 60.0  # one request; a request that takes longer counts as an error
FORM = re.compile(r'<form class="week-form".*?</form>', re.S)
INPUT = re.compile(r"<input[^>]*>")
ATTR = re.compile(r'(\w+)="([^"]*)"')
APP_TIME = re.compile(r"app;dur=([0-9.]+)")  # the app's own time (web.middleware.server_timing)


@dataclass
class Client:
    """One rep's session: what they asked, what came back, what they saved last."""

    email: str
    base: str
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    saved: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (field, week)
    value: int = 0
    server_ms: list[float] = field(default_factory=list)  # Server-Timing app;dur, per answer
    cached: list[bool] = field(default_factory=list)  # served from the page cache

    def __post_init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def request(self, path: str, data: dict[str, str] | None = None) -> str:
        body = None if data is None else urllib.parse.urlencode(data).encode()
        headers = {"Referer": self.base + path}
        started = time.perf_counter()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=body, headers=headers),
                timeout=TIMEOUT_S,
            ) as answer:
                status, text = answer.status, answer.read().decode(errors="replace")
                timing = answer.headers.get("Server-Timing", "")
        except urllib.error.HTTPError as error:
            status, text, timing = error.code, "", error.headers.get("Server-Timing", "")
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            status, text, timing = 599, "", ""  # no answer at all
        self.latencies.append(time.perf_counter() - started)
        app = APP_TIME.search(timing)
        self.server_ms.append(float(app.group(1)) if app else float("nan"))
        self.cached.append('page;desc="hit"' in timing)
        self.statuses.append(status)
        return text if status < 400 else ""

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "") or ""

    def log_in(self) -> bool:
        self.request("/login/")
        page = self.request(
            "/login/",
            {"csrfmiddlewaretoken": self.csrf(), "username": self.email,
             "password": DEMO_PASSWORD},
        )  # fmt: skip
        return 'class="week-form"' in page or "/logout/" in page

    def round(self) -> None:
        """Load the home page, then save this week's first number with a new value."""
        form = FORM.search(self.request("/"))
        if form is None:
            return
        fields: dict[str, str] = {}
        number = ""
        for tag in INPUT.findall(form.group(0)):
            attrs = dict(ATTR.findall(tag))
            if attrs.get("type") == "number" and not number:
                number = attrs.get("name", "")
            elif attrs.get("type") == "hidden" and "name" in attrs:
                fields[attrs["name"]] = attrs.get("value", "")
        if not number:
            return
        self.value += 1
        fields[number] = str(self.value)
        before = len(self.statuses)
        self.request("/week/", fields)
        if all(s < 400 for s in self.statuses[before:]):
            self.saved[(number, fields.get("week", ""))] = Decimal(self.value)


@dataclass
class LoadResult:
    requests: int
    server_errors: int  # 5xx other than 503, and no answer
    no_answer: int  # of those: no answer at all within TIMEOUT_S (599)
    busy: int  # 503: the server asked the client to retry
    p50_ms: float
    p95_ms: float
    lost_writes: int
    clients: int
    import_s: float

    def as_dict(self) -> dict[str, Any]:
        return {f"load_{k}": v for k, v in self.__dict__.items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "pacesetter.wsgi", "--timeout", "120",
               "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"]  # fmt: skip
    # What the server says (a 500's traceback) goes to SERVER_LOG when that is set (the bench
    # sets it beside its databases), so an error in the table can be read afterwards.
    log_path = os.environ.get("PACESETTER_BENCH_SERVER_LOG")
    if log_path:
        with open(log_path, "ab") as log:  # the server writes to its own copy of the file
            server = subprocess.Popen(command, env=os.environ.copy(), stdout=log, stderr=log)
    else:
        server = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the benchmark's web server did not start")


def rep_logins(count: int) -> list[str]:
    return list(
        Person.objects.filter(
            roles__kind=Role.Kind.REP, leave_date__isnull=True, user__isnull=False
        )
        .exclude(email="")
        .order_by("id")
        .values_list("email", flat=True)[:count]
    )


def _lost(clients: list[Client]) -> int:
    """Saves the server confirmed whose value is not the one stored now."""
    lost = 0
    for client in clients:
        person = Person.objects.get(email=client.email)
        stored = {
            (e.metric, e.first_day): e.value for e in ManualEntry.objects.filter(person=person)
        }
        for (name, _week), value in client.saved.items():
            metric = name.split("@")[0]
            values = [v for (m, _day), v in stored.items() if m == metric]
            if value not in values:
                lost += 1
    return lost


def load_during_import(import_command: list[str], clients: int = CLIENTS) -> LoadResult:
    """Serve, start the import, and drive ``clients`` reps until it is done."""
    port = free_port()
    server = start_server(port)
    try:
        people = [Client(email, f"http://127.0.0.1:{port}") for email in rep_logins(clients)]
        people = [c for c in people if c.log_in()]
        started = time.perf_counter()
        importer = subprocess.Popen(
            import_command, env=os.environ.copy(), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        first = {id(c): len(c.statuses) for c in people}  # the log-ins are not counted

        def drive(client: Client) -> None:
            rounds = 0
            while importer.poll() is None or rounds < MIN_ROUNDS:
                client.round()
                rounds += 1

        threads = [threading.Thread(target=drive, args=(c,)) for c in people]
        for thread in threads:
            thread.start()
        importer.wait()
        import_s = time.perf_counter() - started
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = [s for c in people for s in c.statuses[first[id(c)] :]]
    latencies = sorted(x for c in people for x in c.latencies[first[id(c)] :])
    return LoadResult(
        requests=len(statuses),
        server_errors=sum(s >= 500 and s != 503 for s in statuses),
        no_answer=sum(s == 599 for s in statuses),
        busy=sum(s == 503 for s in statuses),
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p95_ms=latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0,
        lost_writes=_lost(people),
        clients=len(people),
        import_s=import_s,
    )


def import_command(path: Path, source: str) -> list[str]:
    return [sys.executable, "-m", "pacesetter", "import", "activities", str(path),
            "--source", source]  # fmt: skip
