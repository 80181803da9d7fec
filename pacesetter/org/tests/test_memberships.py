"""Memberships: history is kept, and a person is never in two units on the same day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pacesetter.org.models import Membership, Unit
from pacesetter.org.selectors import members_on, subtree_ids, unit_of
from pacesetter.org.services import membership_move

MARCH_1 = dt.date(2026, 3, 1)


def test_a_move_ends_the_old_membership_and_keeps_it(small_org):
    membership_move(person=small_org.bob, to_unit=small_org.beta, on=MARCH_1)

    history = list(Membership.objects.filter(person=small_org.bob).order_by("valid_from"))
    assert [(m.unit.name, m.valid_from, m.valid_to) for m in history] == [
        ("Team Alpha", dt.date(2025, 1, 1), MARCH_1),
        ("Team Beta", MARCH_1, None),
    ]


def test_who_was_in_a_team_on_a_date_follows_the_history(small_org):
    membership_move(person=small_org.bob, to_unit=small_org.beta, on=MARCH_1)

    def names(unit: Unit, day: dt.date) -> set[str]:
        return {p.full_name for p in members_on([unit.id], day)}

    assert names(small_org.alpha, dt.date(2026, 2, 28)) == {
        "Mia Manager",
        "Alice Adams",
        "Bob Brown",
    }
    assert names(small_org.alpha, MARCH_1) == {"Mia Manager", "Alice Adams"}
    assert names(small_org.beta, MARCH_1) == {"Charlie Chen", "Bob Brown"}
    assert names(small_org.beta, dt.date(2024, 12, 31)) == set()
    assert unit_of(small_org.bob, dt.date(2026, 2, 28)) == small_org.alpha
    assert unit_of(small_org.bob, MARCH_1) == small_org.beta


def test_validation_explains_an_overlapping_membership(small_org):
    overlapping = Membership(
        person=small_org.alice, unit=small_org.beta, valid_from=MARCH_1, valid_to=None
    )
    with pytest.raises(ValidationError, match="already in Team Alpha"):
        overlapping.full_clean()


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        (dt.date(2024, 6, 1), dt.date(2025, 1, 2)),  # ends one day into Alpha
        (dt.date(2025, 6, 1), dt.date(2025, 7, 1)),  # inside Alpha
        (dt.date(2024, 6, 1), None),  # open-ended, starting before
    ],
)
def test_the_database_refuses_overlapping_memberships(small_org, valid_from, valid_to):
    # No clean() here: the database itself must refuse (trigger / exclusion constraint).
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=small_org.alice, unit=small_org.beta, valid_from=valid_from, valid_to=valid_to
        )


def test_the_database_refuses_an_update_that_creates_an_overlap(small_org):
    earlier = Membership.objects.create(
        person=small_org.alice,
        unit=small_org.beta,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2025, 1, 1),
    )
    earlier.valid_to = dt.date(2025, 2, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        earlier.save()


def test_back_to_back_memberships_are_allowed(small_org):
    Membership.objects.create(
        person=small_org.alice,
        unit=small_org.beta,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2025, 1, 1),  # exclusive: Alpha starts that same day
    )
    assert Membership.objects.filter(person=small_org.alice).count() == 2


def test_a_membership_must_end_after_it_starts(small_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=small_org.charlie,
            unit=small_org.alpha,
            valid_from=dt.date(2020, 5, 1),
            valid_to=dt.date(2020, 5, 1),
        )


def test_moving_on_the_day_the_membership_started_is_refused(small_org):
    with pytest.raises(ValidationError, match="after it starts"):
        membership_move(person=small_org.bob, to_unit=small_org.beta, on=dt.date(2025, 1, 1))
    assert unit_of(small_org.bob, dt.date(2026, 1, 1)) == small_org.alpha


def test_a_unit_subtree_includes_everything_below_it(small_org):
    assert subtree_ids([small_org.region.id]) == {
        small_org.region.id,
        small_org.alpha.id,
        small_org.beta.id,
    }
    assert subtree_ids([small_org.alpha.id]) == {small_org.alpha.id}


def test_only_the_company_is_a_root(small_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="Floating team", kind=Unit.Kind.TEAM, parent=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="Sub-company", kind=Unit.Kind.COMPANY, parent=small_org.company)
