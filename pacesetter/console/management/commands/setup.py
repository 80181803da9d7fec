"""``pacesetter setup``: the first run of an installation without the demo.

Creates the company (the root of the org tree), the org settings and the first admin, in one
transaction (``org.services.org_setup``), then says what to import next.

pacesetter setup                       (asks on the terminal, defaults in brackets)
pacesetter setup --no-input --company "Acme GmbH" --currency EUR --time-zone Europe/Berlin \\
    --fiscal-year-start April --week-start monday --admin-username ada \\
    --admin-email ada@acme.example --admin-name "Ada Lovelace"

With ``--no-input`` the admin's password comes from ``PACESETTER_ADMIN_PASSWORD``; without
it the admin has no usable password until ``pacesetter changepassword USERNAME``.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.management import get_default_username
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter.org.models import WEEKDAYS, Unit
from pacesetter.org.services import AlreadySetUp, OrgSetup, OrgSetupRequest, org_setup

PASSWORD_VARIABLE = "PACESETTER_ADMIN_PASSWORD"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAY_NAMES = dict(WEEKDAYS)  # 0 = Monday … 6 = Sunday, as OrgSettings.week_start stores it


def _named(text: str, names: list[str]) -> int | None:
    """The index of the name ``text`` spells in full or by its first three letters."""
    word = text.strip().lower()
    for i, name in enumerate(names):
        if len(word) >= 3 and name.lower().startswith(word):
            return i
    return None


def month(text: str) -> int:
    """1–12, or a month's name such as April or Apr."""
    if text.strip().isdigit() and 1 <= int(text) <= 12:
        return int(text)
    found = _named(text, MONTHS)
    if found is None:
        raise ValueError(text)
    return found + 1


month.__name__ = "month (1-12 or a name such as April)"


def weekday(text: str) -> int:
    """0–6 with 0 = Monday, or a day's name such as monday or Mon."""
    if text.strip().isdigit() and 0 <= int(text) <= 6:
        return int(text)
    found = _named(text, [str(DAY_NAMES[d]) for d in range(7)])
    if found is None:
        raise ValueError(text)
    return found


weekday.__name__ = "weekday (monday..sunday, or 0-6 with 0 = Monday)"


# The questions, in order: service argument, command-line option, prompt.
FIELDS = [
    ("company", "--company", "Company name"),
    ("currency", "--currency", "Currency (ISO 4217 code)"),
    ("time_zone", "--time-zone", "Time zone"),
    ("fiscal_year_start_month", "--fiscal-year-start", "Fiscal year starts in"),
    ("week_start", "--week-start", "Weeks start on"),
    ("admin_username", "--admin-username", "Admin username"),
    ("admin_email", "--admin-email", "Admin e-mail address"),
    ("admin_name", "--admin-name", "Admin full name"),
]
OPTIONS = {key: option for key, option, _ in FIELDS}
PROMPTS = {key: prompt for key, _, prompt in FIELDS}
DEFAULTS: dict[str, Any] = {
    "currency": "USD",
    "time_zone": "UTC",
    "fiscal_year_start_month": 1,
    "week_start": 0,
    "admin_name": "",
}
REQUIRED = ("company", "admin_username", "admin_email")
PARSERS = {"fiscal_year_start_month": month, "week_start": weekday}


def _shown(key: str, value: Any) -> str:
    """A value as the prompt shows it (months and weekdays by name)."""
    if key == "fiscal_year_start_month":
        return MONTHS[value - 1]
    if key == "week_start":
        return str(DAY_NAMES[value])
    return str(value)


class Command(BaseCommand):
    help = (
        "Set up a new installation: the company, its settings (currency, time zone, fiscal "
        "year, week start) and the first admin. Asks on a terminal; with --no-input every "
        f"answer comes from the options and the password from {PASSWORD_VARIABLE}."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--company", metavar="NAME", help="the company's name (the root of the org tree)"
        )
        parser.add_argument(
            "--currency", metavar="CODE", help="ISO 4217 code such as USD, EUR or CNY (USD)"
        )
        parser.add_argument(
            "--time-zone", metavar="ZONE", help="IANA time zone such as Europe/Berlin (UTC)"
        )
        parser.add_argument(
            "--fiscal-year-start",
            dest="fiscal_year_start_month",
            type=month,
            metavar="MONTH",
            help="the fiscal year's first month: 1-12 or a name such as April (January)",
        )
        parser.add_argument(
            "--week-start",
            type=weekday,
            metavar="DAY",
            help="the first day of a week: monday..sunday, or 0-6 with 0 = Monday (monday)",
        )
        parser.add_argument(
            "--admin-username", metavar="USERNAME", help="the first admin's login name"
        )
        parser.add_argument(
            "--admin-email", metavar="EMAIL", help="the first admin's e-mail address"
        )
        parser.add_argument(
            "--admin-name", metavar="NAME", help="the first admin's full name (the username)"
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"ask nothing: use the options, and the password from {PASSWORD_VARIABLE}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = Unit.objects.filter(kind=Unit.Kind.COMPANY).first()
        if company is not None:
            raise CommandError(_already_set_up(AlreadySetUp(company)))
        given = {key: options[key] for key in OPTIONS if options[key] is not None}
        if options["interactive"]:
            stdin: object = options.get("stdin", sys.stdin)
            if not (hasattr(stdin, "isatty") and stdin.isatty()):
                raise CommandError(
                    "Not a terminal: run `pacesetter setup --no-input` with the options "
                    f"{', '.join(OPTIONS[k] for k in REQUIRED)} (see --help)."
                )
            result = self._interactive(given)
        else:
            result = self._scripted(given)
        self._report(result)

    def _scripted(self, given: dict[str, Any]) -> OrgSetup:
        missing = [OPTIONS[key] for key in REQUIRED if not str(given.get(key, "")).strip()]
        if missing:
            raise CommandError(f"With --no-input, give {', '.join(missing)}.")
        values = DEFAULTS | given
        password = os.environ.get(PASSWORD_VARIABLE) or None
        try:
            return org_setup(request=OrgSetupRequest(**values, admin_password=password))
        except AlreadySetUp as e:
            raise CommandError(_already_set_up(e)) from None
        except ValidationError as e:
            raise CommandError(_invalid(e, OPTIONS)) from None

    def _interactive(self, given: dict[str, Any]) -> OrgSetup:
        """Ask what the options did not give; after a refusal, ask again what was wrong."""
        values = DEFAULTS | given
        asking = [key for key in OPTIONS if key not in given]
        ask_password = True
        password = ""
        while True:
            for key in asking:
                values[key] = self._ask(key, values.get("admin_username") or "")
            if ask_password:
                password = self._ask_password()
            try:
                return org_setup(request=OrgSetupRequest(**values, admin_password=password))
            except AlreadySetUp as e:
                raise CommandError(_already_set_up(e)) from None
            except ValidationError as e:
                errors = e.message_dict
                if "__all__" in errors:
                    raise CommandError(_invalid(e, OPTIONS)) from None
                for line in _lines(errors, PROMPTS | {"admin_password": "Admin password"}):
                    self.stderr.write(f"Error: {line}")
                asking = [key for key in OPTIONS if key in errors]
                ask_password = "admin_password" in errors

    def _ask(self, key: str, username: str) -> Any:
        """One answer; empty takes the default in brackets (the full name's is the username,
        which ``org_setup`` uses when the name is empty)."""
        default = get_default_username() if key == "admin_username" else DEFAULTS.get(key)
        if key == "admin_name":
            shown = username
        else:
            shown = "" if default in (None, "") else _shown(key, default)
        while True:
            answer = input(f"{PROMPTS[key]} [{shown}]: " if shown else f"{PROMPTS[key]}: ")
            answer = answer.strip()
            if not answer:
                if not shown:
                    self.stderr.write("Error: this one is required.")
                    continue
                return default
            parse = PARSERS.get(key)
            if parse is None:
                return answer
            try:
                return parse(answer)
            except ValueError:
                self.stderr.write(f"Error: {answer!r} is not a {parse.__name__}.")

    def _ask_password(self) -> str:
        while True:
            password = getpass.getpass("Admin password: ")
            if not password:
                self.stderr.write("Error: the admin needs a password.")
                continue
            if password != getpass.getpass("Admin password (again): "):
                self.stderr.write("Error: the two passwords differ.")
                continue
            return password

    def _report(self, result: OrgSetup) -> None:
        s, user, person = result.settings, result.user, result.person
        write = self.stdout.write
        write(self.style.SUCCESS(f"Pacesetter is set up for {result.company.name}."))
        write(f"  company    {result.company.name} (the root of the org tree)")
        write(
            f"  settings   currency {s.currency}, time zone {s.time_zone}, fiscal year from "
            f"{MONTHS[s.fiscal_year_start_month - 1]}, weeks start on {DAY_NAMES[s.week_start]}"
        )
        write(
            f"  admin      {user.get_username()}: {person.full_name} <{person.email}>, "
            "superuser with the admin role, member of the company"
        )
        if not user.has_usable_password():
            write(
                f"The admin has no password yet ({PASSWORD_VARIABLE} was not set). Set one "
                f"with:\n  pacesetter changepassword {user.get_username()}"
            )
        write("Next steps:")
        write("  1. Import your people and teams:")
        write("       pacesetter import org people.csv --create-people")
        write("  2. Import the deals (and activities) exported from your CRM:")
        write("       pacesetter import deals deals.csv --preset hubspot|salesforce|pipedrive")
        write("  3. Start the web app with `make run` (or `pacesetter serve`) and log in")
        write(f"     as {user.get_username()}.")


def _already_set_up(error: AlreadySetUp) -> str:
    return (
        f"{error} Nothing was changed: edit the settings in the admin (Organisation "
        "settings); `pacesetter import org` adds people and teams."
    )


def _lines(errors: dict[str, list[str]], names: dict[str, str]) -> list[str]:
    """One line per error, naming the option (or the question) it is about."""
    return [
        f"{names.get(key, key)}: {message}"
        for key, messages in errors.items()
        for message in messages
    ]


def _invalid(error: ValidationError, names: dict[str, str]) -> str:
    lines = _lines(error.message_dict, names | {"admin_password": PASSWORD_VARIABLE})
    return "Nothing was set up:\n  " + "\n  ".join(lines)
