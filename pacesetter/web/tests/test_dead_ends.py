"""Issue 15 (the dead ends): a refusal inside the layout with a way out, and each role
starting on the page that fits it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.web.tests.conftest import make_goal


def login(client: Client, who: str) -> Client:
    assert client.login(username=who, password=PASSWORD)
    return client


def nav(page: str) -> str:
    return page[page.index('class="mainnav"') : page.index("</nav>")]


@pytest.mark.parametrize(
    ("who", "url", "way_out", "name"),
    [
        ("alice", "/plans/", "/", "My goals"),
        ("alice", "/team/", "/", "My goals"),
        ("mia", "/plans/", "/team/", "your team&#x27;s page"),
    ],
)
def test_a_page_of_another_role_is_refused_inside_the_layout_with_a_way_out(
    client, small_org, who, url, way_out, name
):
    response = login(client, who).get(url)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Forbidden" not in page
    assert 'href="/rewards/"' in nav(page)  # the navigation of the viewer's role
    full_name = {"alice": "Alice Adams", "mia": "Mia Manager"}[who]
    assert f"You are signed in as {full_name}, and this page is for another role" in page
    assert f'Go on from <a href="{way_out}">{name}</a>.' in page


def test_a_manager_refused_an_admin_page_still_has_the_managers_navigation(client, small_org):
    page = login(client, "mia").get(reverse("plan_list")).content.decode()

    assert 'href="/team/"' in nav(page) and 'href="/org/"' in nav(page)


def test_an_expired_form_says_so_inside_the_layout_not_a_bare_403(small_org):
    client = login(Client(enforce_csrf_checks=True), "alice")

    response = client.post(reverse("week_numbers"), {"pd_events": "1"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "CSRF verification failed" not in page and "Forbidden" not in page
    assert "This form has expired" in page and "Nothing was saved" in page
    assert 'href="/rewards/"' in nav(page)


def test_an_expired_login_form_is_refused_politely_to_a_visitor(small_org):
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "alice", "password": PASSWORD}
    )

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_rep_starts_on_my_goals(client, small_org):
    response = login(client, "alice").get(reverse("home"))

    assert response.status_code == 200
    assert 'aria-current="page">My goals</a>' in response.content.decode()


def test_a_manager_without_goals_starts_on_the_team_page(client, small_org):
    response = login(client, "mia").get(reverse("home"), follow=True)

    assert [url for url, _status in response.redirect_chain] == [
        reverse("team"),
        reverse("unit_team", args=[small_org.alpha.pk]),
    ]
    assert ">My goals<" not in nav(response.content.decode())


def test_an_admin_starts_on_the_org_page(client, small_org):
    response = login(client, "olga").get(reverse("home"))

    assert response.status_code == 302 and response["Location"] == reverse("org")


def test_a_manager_with_goals_of_their_own_starts_on_them(client, small_org):
    from pacesetter.org.selectors import today_in_org

    today = today_in_org()
    make_goal("demos_held", today.replace(day=1), today.replace(day=28), 5,
              person=small_org.manager)  # fmt: skip

    assert login(client, "mia").get(reverse("home")).status_code == 200


def test_a_filter_on_my_goals_is_served_to_a_manager(client, small_org):
    """Asked for on purpose (a period filter, a week, an htmx refresh): the page, no detour."""
    login(client, "mia")

    assert client.get(reverse("home"), {"period": "month"}).status_code == 200
    assert client.get(reverse("home"), headers={"HX-Request": "true"}).status_code == 200


def test_the_admins_team_and_org_items_do_not_open_the_same_page(client, small_org):
    olga = nav(login(client, "olga").get(reverse("org")).content.decode())
    assert 'href="/org/"' in olga and 'href="/team/"' not in olga
    client.logout()

    mia = login(client, "mia").get(reverse("org")).content.decode()
    links = re.findall(r'href="(/team/|/org/)"', nav(mia))
    assert links == ["/team/", "/org/"]
