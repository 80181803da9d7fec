"""Who a person signing in through the identity provider is: the ``Person`` with their
e-mail address (any case), and that person's login, made for them the first time. With
PACESETTER_OIDC_CREATE_USERS, someone unknown gets a login and a person with no role (an
admin gives them one); without it they are refused, and told why."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from pacesetter.org.models import Person


@dataclass(frozen=True)
class Claims:
    """What the provider says of the person: a verified e-mail address and a name."""

    email: str
    name: str


class Refused(Exception):
    """The person may not sign in; ``str()`` says why, in the reader's language."""


def unknown_person(email: str) -> Refused:
    return Refused(
        _(
            "No one in Pacesetter has the e-mail address %(email)s. Ask an admin to add you, "
            "then sign in again."
        )
        % {"email": email}
    )


def _free_username(email: str) -> str:
    users = get_user_model().objects
    base = email.lower()[:140]
    name, n = base, 1
    while users.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _new_user(claims: Claims) -> User:
    user: User = get_user_model().objects.create_user(
        username=_free_username(claims.email), email=claims.email
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def user_for(claims: Claims, *, create: bool) -> User:
    """The login of the person with ``claims.email``; ``Refused`` when there is none (and
    ``create`` is off)."""
    email = claims.email.strip()
    with transaction.atomic():
        person = Person.objects.select_related("user").filter(email__iexact=email).first()
        if person is not None:
            if person.user is None:
                person.user = _new_user(claims)
                person.save(update_fields=["user"])
            return person.user
        users = list(get_user_model().objects.filter(email__iexact=email, person__isnull=True))
        if len(users) == 1:  # a login made in the admin, not (yet) a person of the org
            return users[0]
        if users or not create:  # several logins share the address: none is chosen
            raise unknown_person(email)
        user = _new_user(claims)
        Person.objects.create(full_name=claims.name or email, email=email, user=user)
        return user
