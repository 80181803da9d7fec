"""The two busiest pages under load: a manager's team page and a rep's home page, served by
a real server (gunicorn, on loopback, as in ``load.py``) from the benchmark's database.

Each page is asked for first by one client at a time (``ALONE`` requests), then by
``CLIENTS`` clients at once for a fixed number of requests each. Nothing is written
meanwhile, so after its first answer each client's page comes from the page cache
(``web/page_cache.py``), as it does for a manager who comes back to the team page between
two imports. Then the page computed afresh: ``COLD`` requests, each after a write that
changes nothing (the org's name set to itself), which is what the first view after any
import or save costs. Reported: wall time on loopback and the app's own time (its
``Server-Timing: app;dur=…``), and the share of answers the cache served.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.models import Session
from django.db.models import Count

from pacesetter.bench.load import Client, free_port, start_server
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.planning.calendar import add_months
from pacesetter.tracking.selectors import goals_overlapping, scope_of_unit

ALONE = 50  # requests, one after the other
CLIENTS = 10
EACH = 20  # requests per client when they ask at once
COLD = 10  # requests, each after a write
WARM_UP = 3


@dataclass
class PageLoad:
    """One page: alone (p50, p95), computed afresh, and under ``clients`` clients at once."""

    alone_p50_ms: float
    alone_p95_ms: float
    alone_server_p50_ms: float  # the app's own time (Server-Timing)
    alone_cached: float  # share of the answers served from the page cache
    cold_p50_ms: float  # each request after a write: computed afresh
    cold_server_p50_ms: float
    cold_cached: float  # share served from the cache after a write: 0 unless stale
    p50_ms: float
    p95_ms: float
    server_p95_ms: float
    cached: float
    requests: int
    clients: int
    per_s: float
    errors: int  # 4xx, 5xx or no answer


@dataclass(frozen=True)
class Page:
    path: str
    login: str  # username
    marker: str  # in the page when it is the page asked for (not a log-in form)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] * 1000 if ordered else 0.0


def biggest_team(today: dt.date) -> tuple[Unit, str]:
    """The team with the most members today that has a manager who can log in, and that
    manager's username."""
    sizes = (
        Membership.objects.on(today)
        .filter(unit__kind=Unit.Kind.TEAM)
        .values_list("unit_id")
        .annotate(members=Count("id"))
        .order_by("-members", "unit_id")
    )
    for unit_id, _members in sizes:
        role = (
            Role.objects.filter(kind=Role.Kind.MANAGER, unit_id=unit_id, person__user__isnull=False)
            .select_related("person__user", "unit")
            .first()
        )
        if role is not None and role.unit is not None and role.person.user is not None:
            return role.unit, role.person.user.get_username()
    raise LookupError("no team has a manager who can log in")


def rep_usernames(count: int) -> list[str]:
    """Reps still employed who can log in: their usernames (the demo's first rep is "rep")."""
    return list(
        Person.objects.filter(
            roles__kind=Role.Kind.REP, leave_date__isnull=True, user__isnull=False
        )
        .order_by("id")
        .values_list("user__username", flat=True)[:count]
    )


def team_goal_count(team: Unit, today: dt.date) -> int:
    month = today.replace(day=1)
    people, units = scope_of_unit(team.pk, month, add_months(month, 1))
    return goals_overlapping(month, add_months(month, 1), person_ids=people, unit_ids=units).count()


def _logged_in(page: Page, base: str) -> Client:
    client = Client(page.login, base)
    client.log_in()
    _warm_up(client, page)
    return client


def _warm_up(client: Client, page: Page) -> None:
    for _ in range(WARM_UP):
        if page.marker not in client.request(page.path):
            raise RuntimeError(f"{page.path} as {page.login}: not the page expected")


def _alone(page: Page, base: str, requests: int) -> Client:
    """``requests`` answers, one after the other; the client holds them (after ``first``)."""
    client = _logged_in(page, base)
    client.first = len(client.latencies)  # type: ignore[attr-defined]
    for _ in range(requests):
        client.request(page.path)
    return client


TOUCH = "bench-touch"  # the session row ``touch_data`` writes (expired: no one's session)


def touch_data() -> None:
    """A write that changes nothing a page shows: a new value in an expired session row of
    no one's. (Setting a value to itself is no write at all: SQLite leaves the page as is,
    and the data version rightly stays.)"""
    Session.objects.update_or_create(
        session_key=TOUCH,
        defaults={
            "session_data": str(time.time_ns()),
            "expire_date": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        },
    )


def _cold(page: Page, base: str, requests: int) -> Client:
    """``requests`` answers, each after a write: each page computed afresh."""
    client = _logged_in(page, base)
    client.first = len(client.latencies)  # type: ignore[attr-defined]
    try:
        for _ in range(requests):
            touch_data()
            client.request(page.path)
    finally:
        Session.objects.filter(session_key=TOUCH).delete()
    return client


def _since_first(client: Client) -> tuple[list[float], list[float], list[bool]]:
    n = client.first  # type: ignore[attr-defined]
    return client.latencies[n:], client.server_ms[n:], client.cached[n:]


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _at_once(pages: list[Page], base: str, each: int) -> tuple[list[Client], list[int], float]:
    clients = [Client(page.login, base) for page in pages]
    for client in clients:
        client.log_in()
    # Warmed up once all have logged in: a log-in writes (its session), and a write makes
    # every page kept before it out of date, so warming up between log-ins would leave each
    # earlier client's first request in the measure computed afresh.
    for client, page in zip(clients, pages, strict=True):
        _warm_up(client, page)
    first = [len(c.latencies) for c in clients]

    def drive(client: Client, page: Page) -> None:
        for _ in range(each):
            client.request(page.path)

    threads = [
        threading.Thread(target=drive, args=(c, p)) for c, p in zip(clients, pages, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return clients, first, time.perf_counter() - started


def measure_page(
    page: Page, crowd: list[Page], base: str, alone: int = ALONE, each: int = EACH,
    cold: int = COLD,
) -> PageLoad:  # fmt: skip
    """``page`` alone, then computed afresh, then ``crowd`` (one page per client, usually the
    same path for different people) at once."""
    single, single_server, single_cached = _since_first(_alone(page, base, alone))
    _, cold_server, cold_cached = fresh = _since_first(_cold(page, base, cold))
    clients, first, elapsed = _at_once(crowd, base, each)
    latencies = [x for c, n in zip(clients, first, strict=True) for x in c.latencies[n:]]
    server = [x for c, n in zip(clients, first, strict=True) for x in c.server_ms[n:]]
    cached = [x for c, n in zip(clients, first, strict=True) for x in c.cached[n:]]
    statuses = [s for c, n in zip(clients, first, strict=True) for s in c.statuses[n:]]
    return PageLoad(
        alone_p50_ms=statistics.median(single) * 1000,
        alone_p95_ms=_percentile(single, 0.95),
        alone_server_p50_ms=statistics.median(single_server),
        alone_cached=_share(single_cached),
        cold_p50_ms=statistics.median(fresh[0]) * 1000,
        cold_server_p50_ms=statistics.median(cold_server),
        cold_cached=_share(cold_cached),
        p50_ms=statistics.median(latencies) * 1000,
        p95_ms=_percentile(latencies, 0.95),
        server_p95_ms=_percentile([x / 1000 for x in server], 0.95),
        cached=_share(cached),
        requests=len(statuses),
        clients=len(clients),
        per_s=len(statuses) / elapsed,
        errors=sum(s >= 400 for s in statuses),
    )


def serving(work: Callable[[str], Any]) -> Any:
    """Start the server, hand its base URL to ``work``, stop the server."""
    port = free_port()
    server = start_server(port)
    try:
        return work(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def pages_under_load(
    today: dt.date, requests: tuple[int, int] = (ALONE, EACH), clients: int = CLIENTS
) -> dict[str, Any]:
    """The team page of the biggest team (as its manager) and the rep's home page (as reps):
    ``requests[0]`` alone, then ``requests[1]`` by each of ``clients`` clients at once."""
    team, manager = biggest_team(today)
    result: dict[str, Any] = {
        "pages_team_goals": team_goal_count(team, today),
        "pages_clients": clients,
    }
    team_page = Page(f"/units/{team.pk}/", manager, 'id="grid"')
    reps = [Page("/", login, 'class="week-form"') for login in rep_usernames(clients)]

    def work(base: str) -> None:
        for name, page, crowd in (
            ("team", team_page, [team_page] * clients),
            ("rep", reps[0], reps),
        ):
            measured = measure_page(page, crowd, base, *requests)
            result.update({f"pages_{name}_{k}": v for k, v in measured.__dict__.items()})

    serving(work)
    return result


def team_page_alone(today: dt.date, requests: int = COLD) -> float:
    """The team page of the biggest team computed afresh (each request after a write), one
    request at a time: the median wall time in ms."""
    team, manager = biggest_team(today)
    page = Page(f"/units/{team.pk}/", manager, 'id="grid"')
    latencies, _, _ = serving(lambda base: _since_first(_cold(page, base, requests)))
    return float(statistics.median(latencies) * 1000)
