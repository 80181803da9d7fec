"""Model fields shared by the apps.

SQLite has no decimal type: ``SUM`` over a decimal column comes back as a float and loses
cents at scale. ``FixedDecimalField`` stores a ``Decimal`` as a whole number of its smallest
unit (cents for money) in a BIGINT, so sums are integer sums — exact on SQLite and PostgreSQL
— and comes back as ``Decimal``. Aggregates keep the field as their output field, so
``Sum("amount")`` is a ``Decimal`` too.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable


class FixedDecimalField(models.BigIntegerField):
    """A ``Decimal`` with a fixed number of decimal places, stored as a scaled integer."""

    description = "Decimal number stored as an integer count of its smallest unit"
    # The types django-stubs' plugin gives writes and reads of the field (``values_list``...).
    # A BigIntegerField that reads as Decimal is no subtype of one that reads as int: ignored.
    _pyi_private_set_type: Decimal | float | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def __init__(self, *args: Any, places: int = 2, **kwargs: Any) -> None:
        self.places = places
        self.quantum = Decimal(1).scaleb(-places)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.places != 2:
            kwargs["places"] = self.places
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(f"{value!r} is not a number", code="invalid") from None

    def get_prep_value(self, value: Any) -> int | None:
        number = self.to_python(value)
        if number is None:
            return None
        if not number.is_finite():
            raise ValidationError(f"{value!r} is not a finite number", code="invalid")
        scaled = number.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValidationError(
                f"{number} has more than {self.places} decimal places", code="too_precise"
            )
        return int(scaled)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, int):  # the stored form: whole cents (the exponent comes out right)
            return unscaled(value, self.places)
        if isinstance(value, float):  # only AVG-like expressions give floats
            return Decimal(repr(value)).scaleb(-self.places).quantize(self.quantum)
        return Decimal(value).scaleb(-self.places).quantize(self.quantum)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return models.Field.formfield(
            self,
            form_class=form_class or forms.DecimalField,
            choices_form_class=choices_form_class,
            **{"decimal_places": self.places, **kwargs},
        )


@functools.lru_cache(maxsize=4096)
def unscaled(stored: int, places: int) -> Decimal:
    """The Decimal a stored integer stands for. Targets and amounts repeat (an org-wide
    dashboard reads 20,000 goals with a few hundred distinct targets), and a Decimal is
    immutable, so equal stored values share one."""
    return Decimal(stored).scaleb(-places)


class MoneyField(FixedDecimalField):
    """An amount in the org's currency, exact to the cent."""

    description = "Money, exact to the cent"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["places"] = 2
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("places", None)
        return name, path, args, kwargs
