"""Writes to the org: each a small keyword-only function that keeps the rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from pacesetter.org.models import Membership, Person, Unit


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
