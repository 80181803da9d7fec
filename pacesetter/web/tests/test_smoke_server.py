"""Smoke test: start the real server the way `make run` does and log in over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

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
def server(tmp_path_factory):
    """`make run` in miniature: migrate, load a small demo org, serve. Always SQLite."""
    var = tmp_path_factory.mktemp("var")
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
        assert response.url == base + "/"
    assert f'<span class="pill">{role}</span>' in home
    assert 'id="team"' in home
