"""Single sign-on, end to end with Django's test client: the login page's button, off to a
real (local) OpenID Connect provider over HTTP, back with a code, checked, logged in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from pacesetter.conftest import PASSWORD
from pacesetter.org.models import Person, Role
from pacesetter.sso.tests.oidc_provider import CLIENT_ID


def sign_in(client, provider, start="/oidc/authenticate/"):
    """Click the button, let the provider approve, come back: the callback's response."""
    response = client.get(start)
    assert response.status_code == 302
    to_provider = response["Location"]
    assert to_provider.startswith(provider.url + "/authorize?")
    query = parse_qs(urlsplit(to_provider).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"]
    answer = requests.get(to_provider, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(f"{back.path}?{back.query}")


def error_of(client, response):
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/")
    return [str(m) for m in page.context["messages"]]


def test_the_login_page_offers_the_provider_and_passwords(client, idp):
    page = client.get("/login/")
    html = page.content.decode()
    assert "Sign in with Northwind ID" in html
    assert 'href="/oidc/authenticate/"' in html
    assert 'id="login-form"' in html


def test_a_known_person_signs_in_through_the_provider_and_sees_their_page(client, idp):
    response = sign_in(client, idp)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert home.wsgi_request.user.username == "alice"  # matched by e-mail, any case
    assert "Alice Adams" in home.content.decode()
    assert idp.requests.count("POST /token") == 1
    assert "GET /jwks" in idp.requests and "GET /userinfo" in idp.requests


def test_next_is_followed_after_signing_in(client, idp):
    response = sign_in(client, idp, start="/oidc/authenticate/?next=/rewards/")
    assert response["Location"] == "/rewards/"


def test_a_person_without_a_login_gets_one_linked_to_them(client, idp, small_org):
    olga = Person.objects.create(full_name="Nora New", email="nora@example.com")
    Role.objects.create(person=olga, kind=Role.Kind.REP)
    idp.person = {"sub": "00u-nora", "email": "nora@example.com", "name": "Nora New"}
    assert sign_in(client, idp)["Location"] == "/"
    olga.refresh_from_db()
    assert olga.user is not None and not olga.user.has_usable_password()
    assert client.get("/").wsgi_request.user == olga.user


def test_an_unknown_email_is_refused_with_a_clear_message(client, idp):
    idp.person = {"sub": "00u-zed", "email": "zed@example.com", "name": "Zed"}
    response = sign_in(client, idp)
    assert error_of(client, response) == [
        "No one in Pacesetter has the e-mail address zed@example.com. Ask an admin to add "
        "you, then sign in again."
    ]
    assert not get_user_model().objects.filter(email="zed@example.com").exists()
    assert client.get("/").status_code == 302  # still not logged in


def test_with_auto_creation_an_unknown_person_gets_a_login_and_no_role(client, idp, settings):
    settings.SSO = idp.settings(create_users=True)
    idp.person = {"sub": "00u-zed", "email": "zed@example.com", "name": "Zed Zimmer"}
    assert sign_in(client, idp)["Location"] == "/"
    zed = Person.objects.get(email="zed@example.com")
    assert zed.full_name == "Zed Zimmer"
    assert zed.user is not None and zed.user.username == "zed@example.com"
    assert not Role.objects.filter(person=zed).exists()
    assert not zed.user.is_staff and not zed.user.is_superuser
    assert client.get("/").wsgi_request.user == zed.user


def test_an_unverified_email_is_refused(client, idp):
    idp.person = {**idp.person, "email_verified": False}
    messages = error_of(client, sign_in(client, idp))
    assert messages == [
        "Your identity provider did not share a verified e-mail address, so Pacesetter "
        "cannot tell who you are."
    ]


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ("signature", "Signature verification failed"),
        ("audience", "Audience doesn't match"),
        ("expired", "Signature has expired"),
    ],
)
def test_a_tampered_id_token_is_refused(client, idp, tamper, why, caplog):
    idp.tamper = tamper
    with caplog.at_level("WARNING", logger="pacesetter.sso.backends"):
        messages = error_of(client, sign_in(client, idp))
    assert why in caplog.text
    assert messages == [
        "The sign-in could not be verified: the identity provider's answer was not valid."
    ]
    assert client.get("/").status_code == 302
    assert idp.requests.count("POST /token") == 1


def test_a_callback_with_a_forged_state_is_refused(client, idp):
    client.get("/oidc/authenticate/")
    response = client.get("/oidc/callback/?code=abc&state=forged")
    assert error_of(client, response)
    assert "POST /token" not in idp.requests


def test_without_single_sign_on_there_is_no_button_and_no_endpoint(client, small_org, settings):
    settings.SSO = None
    assert "Sign in with" not in client.get("/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=a&state=b").status_code == 404


def test_passwords_switched_off_leave_only_the_button(client, idp, settings):
    settings.PASSWORD_LOGIN = False
    html = client.get("/login/").content.decode()
    assert "Sign in with Northwind ID" in html and 'id="login-form"' not in html
    refused = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 403
    assert client.get("/").status_code == 302
    assert not client.login(username="alice", password=PASSWORD)  # the admin's login too


def test_passwords_still_work_beside_single_sign_on(client, idp):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "alice"
