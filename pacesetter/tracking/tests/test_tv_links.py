"""TV links: signed, kept as a hash, expiring and revocable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from pacesetter.tracking.models import TvLink
from pacesetter.tracking.tv import (
    TV_SALT,
    tv_link_create,
    tv_link_resolve,
    tv_link_revoke,
    tv_linked_goals,
    tv_links_live,
)
from pacesetter.web.tests.conftest import make_goal

START, END = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


@pytest.fixture
def race(small_org):
    return make_goal("demos_held", START, END, 60, unit=small_org.alpha, kind="competition")


def test_a_link_opens_its_goal_and_keeps_only_a_hash_of_its_secret(small_org, race):
    link, token = tv_link_create(goal=race, by=small_org.manager.user)
    assert tv_link_resolve(token) == link
    assert tv_link_resolve(token).goal == race
    _pk, secret = signing.loads(token, salt=TV_SALT)
    assert secret not in link.secret_hash and len(link.secret_hash) == 64
    assert link.expires_at.date() - link.created_at.date() == dt.timedelta(days=30)
    assert tv_links_live([race.pk]) == [link]
    assert tv_linked_goals([small_org.alpha.pk]) == [race]


def test_a_tampered_or_foreign_token_opens_nothing(small_org, race):
    link, token = tv_link_create(goal=race, by=None)
    assert tv_link_resolve(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert tv_link_resolve("nonsense") is None
    # Signed right, with the wrong secret: the hash does not match.
    assert tv_link_resolve(signing.dumps([link.pk, "guess"], salt=TV_SALT)) is None
    # Signed for another purpose (another salt): refused.
    assert tv_link_resolve(signing.dumps([link.pk, "guess"])) is None
    assert tv_link_resolve(signing.dumps({"id": link.pk}, salt=TV_SALT)) is None


def test_a_revoked_link_opens_nothing(small_org, race):
    link, token = tv_link_create(goal=race, by=None)
    tv_link_revoke(link=link, by=small_org.manager.user)
    first = link.revoked_at
    tv_link_revoke(link=link, by=small_org.admin.user)  # again: the first time stays
    link.refresh_from_db()
    assert link.revoked_at == first and link.revoked_by == small_org.manager.user
    assert tv_link_resolve(token) is None
    assert tv_links_live([race.pk]) == [] and tv_linked_goals([small_org.alpha.pk]) == []


def test_an_expired_link_opens_nothing(small_org, race, time_machine):
    _link, token = tv_link_create(goal=race, by=None, days=2)
    time_machine.shift(dt.timedelta(days=1))
    assert tv_link_resolve(token) is not None
    time_machine.shift(dt.timedelta(days=1, seconds=1))
    assert tv_link_resolve(token) is None


def test_only_a_teams_competition_or_collective_goal_gets_a_link(small_org, race):
    standard = make_goal("demos_held", START, END, 30, person=small_org.alice)
    with pytest.raises(ValidationError):
        tv_link_create(goal=standard, by=None)
    with pytest.raises(ValidationError):
        tv_link_create(goal=race, by=None, days=0)
    assert not TvLink.objects.exists()
