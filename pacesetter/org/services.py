"""Writes to the org: each a small keyword-only function that keeps the rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pacesetter.org.models import Membership, OrgSettings, Person, Role, Unit


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
    user: AbstractBaseUser
    person: Person


def _errors_of(error: ValidationError, names: dict[str, str]) -> dict[str, list[str]]:
    """A model's validation errors keyed by the setup argument each one is about."""
    return {names.get(field, field): messages for field, messages in error.message_dict.items()}


def org_setup(
    *,
    company: str,
    currency: str,
    time_zone: str,
    fiscal_year_start_month: int,
    week_start: int,
    admin_username: str,
    admin_email: str,
    admin_name: str = "",
    admin_password: str | None = None,
) -> OrgSetup:
    """The first run of an installation, in one transaction: the company (the root of the
    org tree), the org settings, and the first admin (a superuser login, their person, a
    membership of the company from today and the admin role), as the demo makes its admin.

    Every argument is validated first; the errors come as one ``ValidationError`` keyed by
    argument name, and nothing is written. ``admin_password`` ``None`` leaves the admin
    without a usable password (``pacesetter changepassword`` sets one). Raises
    ``AlreadySetUp`` when a company exists already.
    """
    with transaction.atomic():
        settings = OrgSettings.load()
        # The settings row is locked: two first runs at once cannot both make a company.
        settings = OrgSettings.objects.select_for_update().get(pk=settings.pk)
        existing = Unit.objects.filter(kind=Unit.Kind.COMPANY).first()
        if existing is not None:
            raise AlreadySetUp(existing)
        errors: dict[str, list[str]] = {}
        name = " ".join(company.split())
        settings.name = name
        settings.currency = currency.strip().upper()
        settings.time_zone = time_zone.strip()
        settings.fiscal_year_start_month = fiscal_year_start_month
        settings.week_start = week_start
        try:
            settings.full_clean()
        except ValidationError as e:
            errors |= _errors_of(e, {"name": "company"})

        User = get_user_model()
        username = admin_username.strip()
        email = User.objects.normalize_email(admin_email.strip())
        full_name = " ".join(admin_name.split()) or username
        first_name, _, last_name = full_name.partition(" ")
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
            is_superuser=True,
        )
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
        if username and User.objects.filter(username__iexact=username).exists():
            errors.setdefault("admin_username", []).append(
                gettext("The username “%(name)s” is taken.") % {"name": username}
            )
        if not email:
            errors.setdefault("admin_email", []).append(
                gettext("The admin needs an e-mail address.")
            )
        elif Person.objects.filter(email__iexact=email).exists():
            errors.setdefault("admin_email", []).append(
                gettext("A person with the e-mail address %(email)s exists already.")
                % {"email": email}
            )
        person = Person(full_name=full_name, email=email)
        try:
            person.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            errors |= {
                key: messages
                for key, messages in _errors_of(
                    e, {"full_name": "admin_name", "email": "admin_email"}
                ).items()
                if key not in errors
            }
        if admin_password is not None:
            try:
                validate_password(admin_password, user)
            except ValidationError as e:
                errors["admin_password"] = e.messages
        if errors:
            raise ValidationError(errors)

        unit = Unit.objects.create(name=name, kind=Unit.Kind.COMPANY)
        settings.save()
        if admin_password is None:
            user.set_unusable_password()
        else:
            user.set_password(admin_password)
        user.save()
        person.user = user
        person.save()
        today = timezone.now().astimezone(settings.zone).date()
        Membership.objects.create(person=person, unit=unit, valid_from=today)
        Role.objects.create(person=person, kind=Role.Kind.ADMIN)
    return OrgSetup(company=unit, settings=settings, user=user, person=person)
