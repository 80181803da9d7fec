"""The home page says who you are: your role and your team. Strangers are sent to log in."""

import re

import pytest
from django.urls import reverse

from pacesetter.conftest import PASSWORD


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("username", "role", "team"),
    [
        ("alice", "rep", "Team Alpha"),
        ("charlie", "rep", "Team Beta"),
        ("mia", "manager", "Team Alpha"),
        ("olga", "admin", "Northwind"),
    ],
)
def test_home_names_the_role_and_team(client, small_org, username, role, team):
    assert client.login(username=username, password=PASSWORD)
    # A manager or an admin starts elsewhere (test_dead_ends.py); My goals asked for on purpose.
    page = client.get(reverse("home"), {"period": "month"}).content.decode()
    assert f'<span class="pill">{role}</span>' in page
    assert f'<dd id="team">{team}</dd>' in page


def test_a_manager_sees_the_unit_they_manage(client, small_org):
    client.login(username="rhea", password=PASSWORD)
    page = client.get(reverse("home"), {"period": "month"}).content.decode()
    assert re.search(r'<dd id="manages"><a href="/units/\d+/">Americas</a></dd>', page)


def test_a_wrong_password_is_refused(client, small_org):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_health_check_answers_without_login(client, db):
    assert client.get(reverse("healthz")).json() == {"ok": True}
