"""The first-run page: on a database without an org, the web app asks for the company, its
settings and the first admin (what ``pacesetter setup`` asks), then hands over to imports."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pacesetter.conftest import PASSWORD
from pacesetter.org.models import OrgSettings, Person, Role, Unit

STRONG = "correct horse battery staple"
SETUP = "/setup/"


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "company": "Acme GmbH",
        "currency": "eur",
        "time_zone": "Europe/Berlin",
        "fiscal_year_start_month": "4",
        "week_start": "6",
        "admin_username": "ada",
        "admin_email": "ada@acme.example",
        "admin_name": "Ada Lovelace",
        "admin_password": STRONG,
        "admin_password_again": STRONG,
    }
    return data | changes


@pytest.mark.django_db
def test_on_an_empty_database_home_leads_to_the_first_run_page(client):
    response = client.get(reverse("home"), follow=True)

    # Home sends strangers to log in, as always; with no org, the login page leads on.
    assert [url for url, _status in response.redirect_chain] == ["/login/?next=/", SETUP]
    page = response.content.decode()
    assert 'id="setup-form"' in page
    assert 'name="admin_password_again"' in page
    assert '<option value="Europe/Berlin">' in page  # the time zones to pick from


@pytest.mark.django_db
def test_the_setup_url_is_the_first_run_page():
    assert reverse("first_run") == SETUP


@pytest.mark.django_db
def test_posting_the_form_creates_the_org_and_logs_the_admin_in(client):
    response = client.post(SETUP, form_data(), follow=True)

    assert response.redirect_chain == [(reverse("imports"), 302)]
    assert "Acme GmbH is set up and you are logged in as ada" in response.content.decode()
    company = Unit.objects.get()
    assert (company.name, company.kind) == ("Acme GmbH", "company")
    settings = OrgSettings.load()
    assert (settings.currency, settings.time_zone) == ("EUR", "Europe/Berlin")
    assert (settings.fiscal_year_start_month, settings.week_start) == (4, 6)
    user = get_user_model().objects.get()
    assert user.username == "ada" and user.is_superuser and user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
    person = Person.objects.get(user=user)
    assert (person.full_name, person.email) == ("Ada Lovelace", "ada@acme.example")
    assert Role.objects.get(person=person).kind == "admin"
    # The new admin uses the app like the demo's admin.
    assert client.get(reverse("home")).url == reverse("org")  # an admin starts on the org
    home = client.get(reverse("home"), {"period": "month"})
    assert home.status_code == 200
    assert '<span class="pill">admin</span>' in home.content.decode()
    assert client.get(reverse("org")).status_code == 200
    assert client.get(reverse("plan_list")).status_code == 200


@pytest.mark.django_db
def test_once_set_up_the_page_is_gone(client):
    client.post(SETUP, form_data())
    client.logout()

    assert client.get(SETUP).status_code == 404
    assert client.post(SETUP, form_data(company="Another", admin_username="eve")).status_code == 404
    assert list(Unit.objects.values_list("name", flat=True)) == ["Acme GmbH"]
    assert client.get(reverse("login")).status_code == 200  # the login page is itself again


def test_an_org_made_another_way_hides_the_page(client, small_org):
    assert client.get(SETUP).status_code == 404
    client.login(username="olga", password=PASSWORD)
    assert client.get(SETUP).status_code == 404
    assert client.get(reverse("home"), follow=True).status_code == 200


@pytest.mark.django_db
def test_with_users_already_a_stranger_must_log_in_first(client):
    get_user_model().objects.create_user("rex", "rex@acme.example", PASSWORD)

    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={SETUP}"
    assert client.get(reverse("login")).status_code == 200  # where the superuser logs in
    client.post(SETUP, form_data())
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_with_users_already_only_a_superuser_may_set_up(client):
    get_user_model().objects.create_user("rex", "rex@acme.example", PASSWORD)
    client.login(username="rex", password=PASSWORD)

    assert client.get(reverse("home"), follow=True).status_code == 403  # led to the page
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, form_data()).status_code == 403
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_superuser_made_with_createsuperuser_sets_up(client):
    get_user_model().objects.create_superuser("root", "root@acme.example", PASSWORD)
    client.login(username="root", password=PASSWORD)

    assert client.get(reverse("home")).url == SETUP
    response = client.post(SETUP, form_data())

    assert response.url == reverse("imports")
    assert Unit.objects.get().name == "Acme GmbH"
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="ada").pk)


@pytest.mark.django_db
def test_a_bad_time_zone_shows_the_form_again_with_the_error(client):
    response = client.post(SETUP, form_data(time_zone="Mars/Olympus"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="field-time_zone"' in page
    assert "&#x27;Mars/Olympus&#x27; is not a known time zone" in page
    assert 'value="Acme GmbH"' in page  # the answers are kept
    assert not Unit.objects.exists()
    assert not get_user_model().objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"admin_password_again": "something else"}, "admin_password_again", "differ"),
        ({"admin_password": "12345", "admin_password_again": "12345"}, "admin_password", "short"),
        ({"currency": "EURO"}, "currency", "at most 3 characters"),
        ({"currency": "E1R"}, "currency", "ISO 4217"),
        ({"admin_email": "nope"}, "admin_email", "valid email"),
        ({"fiscal_year_start_month": "13"}, "fiscal_year_start_month", "valid choice"),
    ],
)
def test_each_bad_answer_is_shown_at_its_field(client, changes, field, says):
    page = client.post(SETUP, form_data(**changes)).content.decode()

    start = page.index(f'id="field-{field}"')
    assert says in page[start : page.index("</div>", start)]
    assert not Unit.objects.exists()
