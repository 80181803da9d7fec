"""Goals load without ``Model.__init__`` (dashboards read them by the ten thousand): the
objects must behave exactly like ones built the usual way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models.signals import post_init

from pacesetter.goals.models import Goal


@pytest.fixture
def goal(small_org) -> Goal:
    return Goal.objects.create(
        metric="demos_held",
        person=small_org.alice,
        period_kind="month",
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 12, 1),
        target=Decimal("21.50"),
        note="G2",
    )


def test_a_loaded_goal_has_every_field_and_saves_as_an_update(goal, small_org):
    loaded = Goal.objects.get(pk=goal.pk)
    fields = [f.attname for f in Goal._meta.concrete_fields]
    assert [getattr(loaded, f) for f in fields] == [getattr(goal, f) for f in fields]
    assert loaded.target == Decimal("21.50") and str(loaded.target) == "21.50"
    assert not loaded._state.adding and loaded._state.db == "default"
    assert loaded.person == small_org.alice  # the relation resolves
    loaded.target = Decimal(30)
    loaded.save()
    assert Goal.objects.count() == 1 and Goal.objects.get().target == Decimal(30)


def test_deferred_fields_stay_deferred_and_load_on_access(goal, django_assert_num_queries):
    loaded = Goal.objects.defer("note", "created_at").get(pk=goal.pk)
    assert loaded.get_deferred_fields() == {"note", "created_at"}
    with django_assert_num_queries(1):
        assert loaded.note == "G2"


def test_init_signals_are_still_sent_when_someone_listens(goal):
    seen = []

    def heard(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(heard, sender=Goal)
    try:
        Goal.objects.get(pk=goal.pk)
    finally:
        post_init.disconnect(heard, sender=Goal)
    assert seen == [goal.pk]
