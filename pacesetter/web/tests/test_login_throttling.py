"""Password guessing is throttled (django-axes): after the limit of wrong passwords for one
username from one address, even the right password is refused for a while."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from pacesetter.conftest import PASSWORD


def _login(client, password: str):
    return client.post(reverse("login"), {"username": "alice", "password": password})


def test_a_username_is_locked_out_after_too_many_wrong_passwords(client, small_org):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "guess").status_code == 200  # the form again, with an error
    locked = _login(client, "guess")
    assert locked.status_code == 429
    assert 'id="locked-out"' in locked.content.decode()
    refused = _login(client, PASSWORD)  # the right password no longer gets in
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_users_still_log_in_during_a_lockout(client, small_org):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "guess")
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_successful_login_forgets_the_earlier_mistakes(client, small_org):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "guess")
    assert _login(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "guess").status_code == 200
