"""/webhooks/ (admins only): endpoints, recent deliveries with their attempts, adding an
endpoint (its secret shown once) and switching one off; everyone else is refused."""

from __future__ import annotations

import pytest

from pacesetter.hooks.models import Attempt, Delivery, Endpoint
from pacesetter.hooks.services import endpoint_create


def login(client, person):
    client.force_login(person.user)
    return client


def test_only_admins_see_the_webhooks_page(client, small_org):
    assert client.get("/webhooks/").status_code == 302  # to the login page
    for person in (small_org.alice, small_org.manager, small_org.regional_manager):
        assert login(client, person).get("/webhooks/").status_code == 403
    page = login(client, small_org.admin).get("/webhooks/")
    assert page.status_code == 200
    assert "No endpoints yet." in page.content.decode()


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(client, small_org):
    login(client, small_org.admin)
    answer = client.post(
        "/webhooks/",
        {"name": "Data warehouse", "url": "https://dw.example.com/in", "events": ["goal.met"]},
    )
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    endpoint = Endpoint.objects.get()
    assert (endpoint.name, endpoint.events, endpoint.enabled) == (
        "Data warehouse", ["goal.met"], True
    )  # fmt: skip
    assert endpoint.created_by == small_org.admin.user
    assert endpoint.secret in answer.content.decode()

    later = client.get("/webhooks/").content.decode()
    assert "Data warehouse" in later and "https://dw.example.com/in" in later
    assert endpoint.secret not in later
    change = client.get(f"/admin/hooks/endpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret not in change


def test_a_bad_url_is_refused_and_nothing_is_made(client, small_org):
    login(client, small_org.admin)
    answer = client.post("/webhooks/", {"name": "X", "url": "not a url"})
    assert answer.status_code == 200 and "Enter a valid URL." in answer.content.decode()
    assert not Endpoint.objects.exists()


def test_others_cannot_add_or_switch_endpoints(client, small_org):
    endpoint, _secret = endpoint_create(name="CRM", url="https://crm.example.com/")
    login(client, small_org.manager)
    added = client.post("/webhooks/", {"name": "X", "url": "https://x.example.com/"})
    assert added.status_code == 403
    assert client.post(f"/webhooks/{endpoint.pk}/enabled/", {"enabled": "0"}).status_code == 403
    assert Endpoint.objects.count() == 1 and Endpoint.objects.get().enabled


def test_an_admin_switches_an_endpoint_off_and_on(client, small_org):
    endpoint, _secret = endpoint_create(name="CRM", url="https://crm.example.com/")
    login(client, small_org.admin)
    assert client.post(f"/webhooks/{endpoint.pk}/enabled/", {"enabled": "0"}).status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    client.post(f"/webhooks/{endpoint.pk}/enabled/", {"enabled": "1"})
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert client.get(f"/webhooks/{endpoint.pk}/enabled/").status_code == 405
    assert client.post("/webhooks/999/enabled/", {"enabled": "1"}).status_code == 404


def test_the_delivery_log_shows_each_attempt(
    client, small_org, django_assert_max_num_queries, quiet_database
):
    endpoint, _secret = endpoint_create(name="CRM", url="https://crm.example.com/")
    for n in range(3):
        delivery = Delivery.objects.create(
            endpoint=endpoint, event_type="goal.met", event_key=f"goal.met:{n}", body="{}",
            status="retrying", attempts=1, last_status_code=500,
        )  # fmt: skip
        Attempt.objects.create(
            delivery=delivery, number=1, status_code=500, error="HTTP 500 Oops", duration_ms=42
        )
    login(client, small_org.admin)
    with django_assert_max_num_queries(13):
        html = client.get("/webhooks/").content.decode()
    assert html.count("HTTP 500 Oops") == 3 and "42 ms" in html
    assert "to be retried" in html


@pytest.mark.parametrize("enabled", [True, False])
def test_the_django_admin_shows_a_new_secret_once(client, small_org, enabled):
    login(client, small_org.admin)
    data = {"name": "BI", "url": "https://bi.example.com/", "events": ["import.finished"]}
    if enabled:
        data["enabled"] = "on"
    answer = client.post("/admin/hooks/endpoint/add/", data, follow=True)
    endpoint = Endpoint.objects.get()
    assert endpoint.enabled is enabled and endpoint.events == ["import.finished"]
    shown = [str(m) for m in answer.context["messages"]]
    assert any(endpoint.secret in m for m in shown)
    assert endpoint.secret not in client.get("/admin/hooks/endpoint/").content.decode()
