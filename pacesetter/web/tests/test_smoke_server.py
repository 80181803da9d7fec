"""Smoke test: start the real server the way `make run` does and log in over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pacesetter import turns
from pacesetter.demo.org import DEMO_PASSWORD

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pacesetter(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "pacesetter"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture(scope="module")
def var(tmp_path_factory) -> Path:
    """The server's PACESETTER_VAR_DIR (its SQLite database is var / "pacesetter.sqlite3")."""
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def server(var):
    """`make run` in miniature: migrate, load a small demo org, serve. Always SQLite."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACESETTER_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PACESETTER_VAR_DIR"] = str(var)
    pacesetter("migrate", "--noinput", env=env)
    demo = pacesetter("demo", "--if-empty", "--reps", "6", "--months", "2", env=env)
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "pacesetter"), "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("server did not start: " + process.stdout.read()) from None
                time.sleep(0.2)
        yield base, demo.stdout
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_demo_prints_its_logins(server):
    _, demo_output = server
    for login in ("admin", "manager", "rep", DEMO_PASSWORD):
        assert login in demo_output


@pytest.mark.parametrize(("username", "role"), [("admin", "admin"), ("manager", "manager"),
                                                ("rep", "rep")])  # fmt: skip
def test_each_demo_user_logs_in_over_http_and_gets_a_page(server, username, role):
    base, _ = server
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(base + "/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/login/", data=form, headers={"Referer": base})
    with opener.open(request, timeout=10) as response:
        home = response.read().decode()
        landed = response.url.removeprefix(base)
    # Each lands on the page that fits them (web/views/home.landing_url).
    if role == "rep":
        assert landed == "/" and 'id="team"' in home
        assert f'<span class="pill">{role}</span>' in home
    elif role == "manager":
        assert re.fullmatch(r"/units/\d+/", landed) and 'id="attention"' in home
    else:
        assert landed == "/org/" and 'id="org-tree"' in home, landed


def _logged_in(base: str, username: str):
    """A cookie jar and an opener logged in as ``username``, and the page it landed on."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(base + "/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    login = urllib.request.Request(
        base + "/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": base}
    )
    with opener.open(login, timeout=10) as response:
        response.read()
        return jar, opener, response.url


def test_a_write_that_meets_a_locked_database_answers_503_with_retry_after(server, var):
    """Another writer (here: a connection holding SQLite's write lock, as a long import in
    the worker does) keeps the lock past the busy timeout: the page says "busy" with
    Retry-After, never a server error, and the same request succeeds once the lock is gone."""
    base, _ = server
    jar, opener, _ = _logged_in(base, "rep")
    csrf = next(c.value for c in jar if c.name == "csrftoken")

    def switch_language() -> urllib.request.Request:
        data = urllib.parse.urlencode({"language": "zh-hans", "next": "/"}).encode()
        headers = {"Referer": base, "X-CSRFToken": csrf}
        return urllib.request.Request(base + "/i18n/setlang/", data=data, headers=headers)

    database = var / "pacesetter.sqlite3"
    lock = sqlite3.connect(database, isolation_level=None, timeout=30)
    lock.execute("BEGIN IMMEDIATE")  # the write lock, held
    marked: list[int] = []  # while it waits, the request says so (turns.py): imports give way

    def watch() -> None:  # (no Timer: a wait with a timeout never returns under faketime)
        time.sleep(2)
        marked.append(turns.waiters(turns.waiting_dir(database)))

    watcher = threading.Thread(target=watch)
    try:
        started = time.monotonic()
        watcher.start()
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(switch_language(), timeout=60)
        waited = time.monotonic() - started
    finally:
        watcher.join()
        lock.execute("ROLLBACK")
        lock.close()
    assert marked == [1]
    assert turns.waiters(turns.waiting_dir(database)) == 0  # gone with the request
    assert refused.value.code == 503
    assert refused.value.headers["Retry-After"] == "5"
    assert "Pacesetter is busy" in refused.value.read().decode()
    assert 4 <= waited < 30  # the busy timeout (5 s), not the old 20 s
    with opener.open(switch_language(), timeout=30) as response:
        assert response.status == 200


def test_a_kept_page_follows_a_write_from_another_process(server, var):
    """The team page, served again from memory, is computed afresh once another program
    (here: sqlite3 on the same file, as the worker or an import would) commits a change."""
    base, _ = server
    _, opener, team_url = _logged_in(base, "manager")
    unit = int(re.search(r"/units/(\d+)/", team_url).group(1))

    def team_page() -> tuple[str, str]:
        with opener.open(team_url, timeout=30) as response:
            return response.headers["Server-Timing"], response.read().decode()

    _, first = team_page()  # computed on the way in (after the log-in) or now, and kept
    second_timing, second = team_page()
    assert 'page;desc="hit"' in second_timing
    assert first == second and "Renamed by sqlite3" not in first
    with sqlite3.connect(var / "pacesetter.sqlite3", isolation_level=None, timeout=30) as raw:
        raw.execute("UPDATE org_unit SET name = 'Renamed by sqlite3' WHERE id = ?", (unit,))
    after_timing, after = team_page()
    assert 'page;desc="miss"' in after_timing
    assert "Renamed by sqlite3" in after
