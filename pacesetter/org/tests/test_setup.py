"""``pacesetter setup``: the first run without the demo. It makes the company, the settings
and the first admin in one go, refuses a second run, and names the option that is wrong."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from pacesetter.conftest import run_command
from pacesetter.goals.access import visible_scope
from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit

STRONG = "correct horse battery staple"
SCRIPTED = (
    "setup --no-input --company 'Acme GmbH' --currency EUR --time-zone Europe/Berlin "
    "--fiscal-year-start April --week-start sunday --admin-username ada "
    "--admin-email ada@acme.example --admin-name 'Ada Lovelace'"
)


def counts() -> dict[str, int]:
    """How many rows setup could have written, per table."""
    models = (Unit, OrgSettings, get_user_model(), Person, Membership, Role)
    return {model.__name__: model.objects.count() for model in models}


class Terminal(StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def answer(monkeypatch: pytest.MonkeyPatch, lines: list[str], passwords: list[str]) -> list[str]:
    """Type ``lines`` at the prompts and ``passwords`` at the password prompts; returns the
    prompts asked, in order."""
    asked: list[str] = []

    def typed(replies: list[str]):
        def reply(prompt: str = "") -> str:
            asked.append(prompt)
            return replies.pop(0)

        return reply

    monkeypatch.setattr("builtins.input", typed(lines))
    monkeypatch.setattr("getpass.getpass", typed(passwords))
    return asked


@pytest.mark.django_db
def test_scripted_setup_creates_the_org_and_an_admin_who_can_log_in(monkeypatch, client):
    monkeypatch.setenv("PACESETTER_ADMIN_PASSWORD", STRONG)

    out = run_command(SCRIPTED)

    company = Unit.objects.get()
    assert (company.name, company.kind, company.parent) == ("Acme GmbH", "company", None)
    settings = OrgSettings.load()
    assert (
        settings.name,
        settings.currency,
        settings.time_zone,
        settings.fiscal_year_start_month,
        settings.week_start,
    ) == ("Acme GmbH", "EUR", "Europe/Berlin", 4, 6)
    user = get_user_model().objects.get()
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "ada",
        "ada@acme.example",
        "Ada",
        "Lovelace",
    )
    assert user.is_superuser and user.is_staff
    person = Person.objects.get()
    assert (person.full_name, person.email, person.user) == (
        "Ada Lovelace",
        "ada@acme.example",
        user,
    )
    assert [(r.kind, r.unit) for r in person.roles.all()] == [("admin", None)]
    # A member of the company from today in Berlin (the suite's clock: 18 November 2026).
    membership = Membership.objects.get()
    assert (membership.unit, membership.valid_from, membership.valid_to) == (
        company,
        dt.date(2026, 11, 18),
        None,
    )
    scope = visible_scope(user, dt.date(2026, 11, 18))
    assert scope.is_admin and scope.team == company

    assert client.login(username="ada", password=STRONG)
    assert "Pacesetter is set up for Acme GmbH." in out
    assert "pacesetter import org people.csv --create-people" in out
    assert "--preset hubspot|salesforce|pipedrive" in out
    assert "make run" in out and "pacesetter serve" in out
    assert "changepassword" not in out


@pytest.mark.django_db
def test_without_a_password_the_admin_cannot_log_in_until_one_is_set(monkeypatch, client):
    monkeypatch.delenv("PACESETTER_ADMIN_PASSWORD", raising=False)

    out = run_command(SCRIPTED)

    assert not get_user_model().objects.get(username="ada").has_usable_password()
    assert "pacesetter changepassword ada" in out
    assert not client.login(username="ada", password="")


@pytest.mark.django_db
def test_only_company_and_admin_are_required_the_rest_has_defaults(monkeypatch):
    monkeypatch.setenv("PACESETTER_ADMIN_PASSWORD", STRONG)

    run_command("setup --no-input --company Acme --admin-username ada --admin-email a@acme.example")

    settings = OrgSettings.load()
    assert (settings.currency, settings.time_zone) == ("USD", "UTC")
    assert (settings.fiscal_year_start_month, settings.week_start) == (1, 0)
    assert Person.objects.get().full_name == "ada"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("month", "week", "expected"),
    [("4", "6", (4, 6)), ("apr", "Mon", (4, 0)), ("December", "0", (12, 0))],
)
def test_months_and_weekdays_by_number_or_name(month, week, expected):
    run_command(
        f"setup --no-input --company Acme --admin-username ada --admin-email a@acme.example "
        f"--fiscal-year-start {month} --week-start {week}"
    )

    settings = OrgSettings.load()
    assert (settings.fiscal_year_start_month, settings.week_start) == expected


@pytest.mark.django_db
def test_a_second_run_is_refused_and_changes_nothing(monkeypatch):
    monkeypatch.setenv("PACESETTER_ADMIN_PASSWORD", STRONG)
    run_command(SCRIPTED)
    before = counts()

    with pytest.raises(CommandError, match="already set up: the company “Acme GmbH” exists"):
        run_command(
            "setup --no-input --company Other --currency USD --admin-username bob "
            "--admin-email bob@other.example"
        )

    assert counts() == before
    assert OrgSettings.load().currency == "EUR"


@pytest.mark.django_db
def test_a_company_made_another_way_counts_as_set_up():
    Unit.objects.create(name="Northwind", kind=Unit.Kind.COMPANY)

    with pytest.raises(CommandError, match="already set up"):
        run_command(SCRIPTED)

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "named", "says"),
    [
        ("--time-zone Mars/Olympus", "--time-zone", "not a known time zone"),
        ("--currency EURO", "--currency", "ISO 4217"),
        ("--currency 12", "--currency", "ISO 4217"),
        ("--fiscal-year-start 13", "--fiscal-year-start", "invalid month"),
        ("--fiscal-year-start Smarch", "--fiscal-year-start", "invalid month"),
        ("--week-start someday", "--week-start", "invalid weekday"),
        ("--week-start 7", "--week-start", "invalid weekday"),
        ("--admin-email not-an-address", "--admin-email", "valid email"),
        ("--admin-username 'no spaces'", "--admin-username", "valid username"),
        ("--admin-username Taken", "--admin-username", "is taken"),
        ("--admin-email taken@acme.example", "--admin-email", "exists already"),
        ("--company ''", "--company", "give --company"),
    ],
)
def test_each_bad_input_is_refused_naming_its_option(monkeypatch, change, named, says):
    get_user_model().objects.create_user("taken", "taken@acme.example")  # e.g. createsuperuser
    Person.objects.create(full_name="Taken", email="taken@acme.example")
    monkeypatch.setenv("PACESETTER_ADMIN_PASSWORD", STRONG)
    before = counts()

    with pytest.raises(CommandError) as refused:
        run_command(f"{SCRIPTED} {change}")  # the last option given wins

    assert named in str(refused.value) and says in str(refused.value)
    assert counts() == before


@pytest.mark.django_db
def test_a_weak_password_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PACESETTER_ADMIN_PASSWORD", "12345")

    with pytest.raises(CommandError, match="PACESETTER_ADMIN_PASSWORD: This password is too short"):
        run_command(SCRIPTED)

    assert counts() == dict.fromkeys(counts(), 0)


@pytest.mark.django_db
def test_without_a_terminal_it_asks_for_the_options():
    with pytest.raises(CommandError, match="--no-input"):
        call_command("setup", stdin=StringIO(), stdout=StringIO())

    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_on_a_terminal_it_asks_with_defaults_in_brackets(monkeypatch, client):
    monkeypatch.setattr("getpass.getuser", lambda: "ada")  # the system's user name
    asked = answer(
        monkeypatch,
        # company, currency, time zone, fiscal year, week start, username, e-mail, name
        ["Acme GmbH", "eur", "Europe/Berlin", "april", "", "", "ada@acme.example", ""],
        [STRONG, STRONG],
    )
    out = StringIO()

    call_command("setup", stdin=Terminal(), stdout=out)

    assert asked == [
        "Company name: ",
        "Currency (ISO 4217 code) [USD]: ",
        "Time zone [UTC]: ",
        "Fiscal year starts in [January]: ",
        "Weeks start on [Monday]: ",
        "Admin username [ada]: ",
        "Admin e-mail address: ",
        "Admin full name [ada]: ",
        "Admin password: ",
        "Admin password (again): ",
    ]
    settings = OrgSettings.load()
    assert (settings.name, settings.currency, settings.time_zone) == (
        "Acme GmbH",
        "EUR",
        "Europe/Berlin",
    )
    assert (settings.fiscal_year_start_month, settings.week_start) == (4, 0)
    assert Person.objects.get().full_name == "ada"
    assert client.login(username="ada", password=STRONG)
    assert "Pacesetter is set up for Acme GmbH." in out.getvalue()


@pytest.mark.django_db
def test_on_a_terminal_a_wrong_answer_is_asked_again(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    asked = answer(
        monkeypatch,
        [
            *("Acme", "", "Mars/Olympus", "Smarch", "March", "sun", "ada", "ada@acme.example"),
            "Ada Lovelace",
            "Europe/Berlin",  # asked again: the only answer that was refused
        ],
        ["one password", "another password", STRONG, STRONG],
    )
    err = StringIO()

    call_command("setup", stdin=Terminal(), stdout=StringIO(), stderr=err)

    assert asked == [
        "Company name: ",
        "Currency (ISO 4217 code) [USD]: ",
        "Time zone [UTC]: ",
        "Fiscal year starts in [January]: ",
        "Fiscal year starts in [January]: ",  # after Smarch
        "Weeks start on [Monday]: ",
        "Admin username [root]: ",
        "Admin e-mail address: ",
        "Admin full name [ada]: ",
        "Admin password: ",
        "Admin password (again): ",
        "Admin password: ",  # they differed
        "Admin password (again): ",
        "Time zone [UTC]: ",  # refused by the setup: only this is asked again
    ]
    assert "'Smarch' is not a month" in err.getvalue()
    assert "the two passwords differ" in err.getvalue()
    assert "Time zone: 'Mars/Olympus' is not a known time zone" in err.getvalue()
    settings = OrgSettings.load()
    assert (settings.time_zone, settings.fiscal_year_start_month, settings.week_start) == (
        "Europe/Berlin",
        3,
        6,
    )
    assert Person.objects.get().full_name == "Ada Lovelace"


@pytest.mark.django_db
def test_options_given_on_a_terminal_are_not_asked(monkeypatch):
    asked = answer(monkeypatch, ["ada@acme.example"], [STRONG, STRONG])

    call_command(
        "setup",
        "--company=Acme",
        "--currency=CNY",
        "--time-zone=Asia/Shanghai",
        "--fiscal-year-start=7",
        "--week-start=0",
        "--admin-username=ada",
        "--admin-name=Ada Lovelace",
        stdin=Terminal(),
        stdout=StringIO(),
    )

    assert asked == ["Admin e-mail address: ", "Admin password: ", "Admin password (again): "]
    assert OrgSettings.load().currency == "CNY"
