"""Personal access tokens: kept only as a digest, shown once, refused once revoked or
expired; the tokens page and ``pacesetter token``; the browser's session (with CSRF); the
rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from pacesetter.api.models import AccessToken
from pacesetter.api.tokens import token_create, token_user
from pacesetter.conftest import PASSWORD, run_command

V1 = "/api/v1"


def test_only_the_digest_is_kept(small_org):
    new = token_create(user=small_org.alice.user, name="script")
    stored = AccessToken.objects.get(pk=new.token.pk)
    assert re.fullmatch(r"pst_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", new.raw)
    assert new.raw.startswith(stored.prefix + "_")
    assert stored.digest == hashlib.sha256(new.raw.encode()).hexdigest()
    assert new.raw not in {getattr(stored, f.attname) for f in AccessToken._meta.fields}
    assert token_user(new.raw) == (stored, small_org.alice.user)
    assert token_user(new.raw[:-1] + "x") is None


def test_last_use_is_recorded(client, small_org):
    new = token_create(user=small_org.alice.user, name="script")
    client.get(f"{V1}/people", HTTP_AUTHORIZATION=f"Bearer {new.raw}")
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None
    assert abs(timezone.now() - new.token.last_used_at) < dt.timedelta(seconds=5)


def test_a_token_of_a_deactivated_user_is_refused(client, small_org):
    new = token_create(user=small_org.alice.user, name="script")
    small_org.alice.user.is_active = False
    small_org.alice.user.save()
    assert client.get(f"{V1}/people", HTTP_AUTHORIZATION=f"Bearer {new.raw}").status_code == 401


def login(client: Client, who: str) -> Client:
    assert client.login(username=who, password=PASSWORD)
    return client


def test_the_tokens_page_makes_a_token_shown_once(client, small_org):
    login(client, "alice")
    response = client.post("/account/tokens/", {"action": "create", "name": "CRM", "expires": "30"})
    assert response.status_code == 200
    raw = re.search(r'<code id="token-value">([^<]+)</code>', response.content.decode())[1]
    token = AccessToken.objects.get(user=small_org.alice.user)
    assert token.name == "CRM" and token.expires_at.date() == dt.date(2026, 12, 18)
    api = Client()
    assert api.get(f"{V1}/people", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    page = client.get("/account/tokens/").content.decode()
    assert raw not in page and token.prefix in page


def test_the_tokens_page_revokes_only_your_own(client, small_org):
    bobs = token_create(user=small_org.bob.user, name="bob's")
    alices = token_create(user=small_org.alice.user, name="alice's")
    login(client, "alice")
    assert client.get("/account/tokens/").content.decode().count("<tr>") == 2  # head + 1
    refused = client.post("/account/tokens/", {"action": "revoke", "token": bobs.token.pk})
    assert refused.status_code == 404
    bobs.token.refresh_from_db()
    assert bobs.token.revoked_at is None
    done = client.post("/account/tokens/", {"action": "revoke", "token": alices.token.pk})
    assert done.status_code == 302
    alices.token.refresh_from_db()
    assert alices.token.revoked_at is not None
    assert (
        Client().get(f"{V1}/people", HTTP_AUTHORIZATION=f"Bearer {alices.raw}").status_code == 401
    )


def test_the_tokens_page_needs_a_login(client, small_org):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_token_command(small_org, capsys):
    raw = run_command("token create --user olga --name nightly --days 7").strip()
    token = AccessToken.objects.get()
    assert token_user(raw) == (token, small_org.admin.user)
    assert token.expires_at.date() == dt.date(2026, 11, 25)
    listed = run_command("token list --format csv")
    assert "nightly" in listed and token.prefix in listed and raw not in listed
    assert "active" in listed
    run_command(f"token revoke {token.pk}")
    assert token_user(raw) is None
    assert "revoked" in run_command("token list --user olga --format csv")


def test_the_browser_session_reads_and_writes_with_csrf(api_org):
    browser = login(Client(enforce_csrf_checks=True), "mia")
    assert browser.get(f"{V1}/goals").json()["count"] == 3
    goal = api_org.goals["bob"]
    url = f"{V1}/goals/{goal.pk}/target"
    data = {"target": "11000", "reason": "r", "based_on": 1}
    refused = browser.post(url, data, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    browser.get("/account/tokens/")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    done = browser.post(url, data, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert done.status_code == 200
    goal.refresh_from_db()
    assert goal.target == 11000


def test_the_rate_limit_answers_429_with_retry_after(client, api_org, settings):
    settings.API_RATE_LIMIT = 3
    answers = [api_org.get(client, f"{V1}/people", "rep").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = api_org.get(client, f"{V1}/people", "rep")
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 61
    # per token: another caller is not limited
    assert api_org.get(client, f"{V1}/people", "manager").status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer nope", "Token pst_x", "Basic b2xnYQ=="])
def test_malformed_authorization_is_401(client, small_org, header):
    response = client.get(f"{V1}/people", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_admins_revoke_tokens_in_the_django_admin(client, small_org):
    alices = token_create(user=small_org.alice.user, name="alice's")
    login(client, "olga")
    listing = client.get("/admin/api/accesstoken/")
    assert listing.status_code == 200 and alices.token.prefix in listing.content.decode()
    assert alices.token.digest not in listing.content.decode()
    client.post(
        "/admin/api/accesstoken/",
        {"action": "revoke", "_selected_action": [alices.token.pk]},
    )
    assert token_user(alices.raw) is None


@pytest.mark.parametrize("who", ["alice", "mia", "olga"])
def test_every_role_finds_the_tokens_page_in_the_menu(client, small_org, who):
    login(client, who)
    page = client.get("/", follow=True).content.decode()
    assert 'href="/account/tokens/"' in page
    tokens_page = client.get("/account/tokens/")
    assert tokens_page.status_code == 200
    assert 'aria-current="page"' in tokens_page.content.decode()
