"""Writes to the org: each a small keyword-only function that keeps the rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit


def person_language_set(*, person: Person, language: str) -> Person:
    """Remember the language ``person`` reads Pacesetter in (one of ``settings.LANGUAGES``;
    "" for the site's default), for what is written to them outside the pages."""
    if language not in {code for code, _name in settings.LANGUAGES} | {""}:
        raise ValidationError(gettext("%(language)s is not a language of Pacesetter.")
                              % {"language": language})  # fmt: skip
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
    return person


@transaction.atomic
def membership_move(*, person: Person, to_unit: Unit, on: dt.date) -> Membership:
    """Move ``person`` to ``to_unit`` from ``on``: the current membership ends that day."""
    # Lock the person's row so that two concurrent moves cannot both succeed.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = Membership.objects.filter(person=person).on(on).first()
    if current is not None:
        if current.unit_id == to_unit.pk:
            return current
        if current.valid_to is not None:
            raise ValidationError(
                f"{person} leaves {current.unit} on {current.valid_to}; change that first."
            )
        current.valid_to = on
        current.full_clean()
        current.save(update_fields=["valid_to"])
    new = Membership(person=person, unit=to_unit, valid_from=on)
    new.full_clean()
    new.save()
    return new


class AlreadySetUp(Exception):
    """The org has its company already: ``org_setup`` runs once per installation."""

    def __init__(self, company: Unit) -> None:
        super().__init__(
            gettext("already set up: the company “%(name)s” exists.") % {"name": company.name}
        )
        self.company = company


@dataclass(frozen=True)
class OrgSetup:
    """What ``org_setup`` created."""

    company: Unit
    settings: OrgSettings
    user: User
    person: Person


def _errors_of(error: ValidationError, names: dict[str, str]) -> dict[str, list[str]]:
    """A model's validation errors keyed by the setup argument each one is about."""
    return {names.get(field, field): messages for field, messages in error.message_dict.items()}


@dataclass(frozen=True)
class OrgSetupRequest:
    """What the first run is told: the company and its settings, and the first admin. The
    errors of ``org_setup`` are keyed by these names."""

    company: str
    currency: str
    time_zone: str
    fiscal_year_start_month: int
    week_start: int
    admin_username: str
    admin_email: str
    admin_name: str = ""
    admin_password: str | None = None


def org_setup(*, request: OrgSetupRequest) -> OrgSetup:
    """The first run of an installation, in one transaction: the company (the root of the
    org tree), the org settings, and the first admin (a superuser login, their person, a
    membership of the company from today and the admin role), as the demo makes its admin.

    Every field of the request is validated first; the errors come as one
    ``ValidationError`` keyed by field name, and nothing is written. ``admin_password``
    ``None`` leaves the admin without a usable password (``pacesetter changepassword`` sets
    one). Raises ``AlreadySetUp`` when a company exists already.
    """
    with transaction.atomic():
        settings = OrgSettings.load()
        # The settings row is locked: two first runs at once cannot both make a company.
        settings = OrgSettings.objects.select_for_update().get(pk=settings.pk)
        existing = Unit.objects.filter(kind=Unit.Kind.COMPANY).first()
        if existing is not None:
            raise AlreadySetUp(existing)
        errors = _configure(settings, request)
        user = _admin_user(request)
        errors |= _user_errors(user)
        person = Person(full_name=_admin_name(request), email=user.email)
        errors |= {key: messages for key, messages in _person_errors(person).items()
                   if key not in errors}  # fmt: skip
        if request.admin_password is not None:
            try:
                validate_password(request.admin_password, user)
            except ValidationError as e:
                errors["admin_password"] = e.messages
        if errors:
            raise ValidationError(errors)
        unit = _create(settings, user, person, request.admin_password)
    return OrgSetup(company=unit, settings=settings, user=user, person=person)


def _configure(settings: OrgSettings, request: OrgSetupRequest) -> dict[str, list[str]]:
    """Set the org settings from the request; what is wrong with them."""
    settings.name = " ".join(request.company.split())
    settings.currency = request.currency.strip().upper()
    settings.time_zone = request.time_zone.strip()
    settings.fiscal_year_start_month = request.fiscal_year_start_month
    settings.week_start = request.week_start
    try:
        settings.full_clean()
    except ValidationError as e:
        return _errors_of(e, {"name": "company"})
    return {}


def _admin_name(request: OrgSetupRequest) -> str:
    return " ".join(request.admin_name.split()) or request.admin_username.strip()


def _admin_user(request: OrgSetupRequest) -> User:
    """The first admin's login, unsaved: a superuser."""
    user_model = get_user_model()
    first_name, _, last_name = _admin_name(request).partition(" ")
    return user_model(
        username=request.admin_username.strip(),
        email=user_model.objects.normalize_email(request.admin_email.strip()),
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_superuser=True,
    )


def _user_errors(user: User) -> dict[str, list[str]]:
    """What is wrong with the admin's login: its fields, a taken username, no e-mail, or an
    e-mail address a person has already."""
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as e:
        errors |= _errors_of(
            e,
            {
                "username": "admin_username",
                "email": "admin_email",
                "first_name": "admin_name",
                "last_name": "admin_name",
            },
        )
    username, email = user.get_username(), user.email
    if username and get_user_model().objects.filter(username__iexact=username).exists():
        errors.setdefault("admin_username", []).append(
            gettext("The username “%(name)s” is taken.") % {"name": username}
        )
    if not email:
        errors.setdefault("admin_email", []).append(gettext("The admin needs an e-mail address."))
    elif Person.objects.filter(email__iexact=email).exists():
        errors.setdefault("admin_email", []).append(
            gettext("A person with the e-mail address %(email)s exists already.") % {"email": email}
        )
    return errors


def _person_errors(person: Person) -> dict[str, list[str]]:
    try:
        person.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    except ValidationError as e:
        return _errors_of(e, {"full_name": "admin_name", "email": "admin_email"})
    return {}


def _create(settings: OrgSettings, user: User, person: Person, password: str | None) -> Unit:
    """Write the validated setup: the company, the settings, the admin; the company."""
    unit = Unit.objects.create(name=settings.name, kind=Unit.Kind.COMPANY)
    settings.save()
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    person.user = user
    person.save()
    today = timezone.now().astimezone(settings.zone).date()
    Membership.objects.create(person=person, unit=unit, valid_from=today)
    Role.objects.create(person=person, kind=Role.Kind.ADMIN)
    return unit
