"""Notices are recorded once per event and recipient, as each person chose, with their
kind and parameters (never a sentence), and read in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from pacesetter.jobs.models import Job
from pacesetter.notifications.kinds import Choice, text_of
from pacesetter.notifications.models import Delivery, Kind, Notification
from pacesetter.notifications.selectors import choices_of, notifications_of, unread_count
from pacesetter.notifications.services import (
    Event,
    mark_all_read,
    mark_read,
    notify,
    preferences_save,
)

PARAMS = {"metric": "demos_held", "period": "2026-11", "old": "20.00", "new": "30.00"}


def changed(person_id: int, key: str = "goal:1:2") -> Event:
    return Event(person_id, Kind.GOAL_CHANGED, key, PARAMS, "/goals/1/")


def test_the_same_event_twice_is_one_notice(small_org):
    alice = small_org.alice
    first = notify([changed(alice.pk), changed(alice.pk)])
    again = notify([changed(alice.pk)])

    assert len(first) == 1 and again == []
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.key) == (alice, "goal_changed", "goal:1:2")
    assert notice.params == PARAMS  # data, not an English sentence
    # The same key for another person is their own notice.
    assert len(notify([changed(small_org.bob.pk)])) == 1


def test_the_defaults_are_in_app_for_all_e_mail_for_risk_and_rewards_chat_only_with_a_webhook(
    small_org, settings
):
    settings.SLACK_WEBHOOK_URL = settings.TEAMS_WEBHOOK_URL = ""
    pid = small_org.alice.pk
    chosen = choices_of([pid])
    assert chosen[(pid, Kind.GOAL_CHANGED)] == Choice(in_app=True, email=False, chat=False)
    assert chosen[(pid, Kind.AT_RISK)] == Choice(in_app=True, email=True, chat=False)
    assert chosen[(pid, Kind.REWARD_EARNED)] == Choice(in_app=True, email=True, chat=False)

    settings.SLACK_WEBHOOK_URL = "https://hooks.slack.example/services/T/B/x"
    chosen = choices_of([pid])
    assert chosen[(pid, Kind.REWARD_EARNED)].chat
    assert chosen[(pid, Kind.COLLECTIVE_MET)].chat
    assert not chosen[(pid, Kind.AT_RISK)].chat  # not announced to the channel unasked


def test_a_person_s_choices_decide_where_a_notice_goes(small_org):
    alice = small_org.alice
    preferences_save(
        person_id=alice.pk,
        choices={Kind.GOAL_CHANGED: Choice(in_app=False, email=True, chat=False)},
    )
    notify([changed(alice.pk)])
    notice = Notification.objects.get()
    assert not notice.in_app and notice.email_status == Delivery.PENDING
    assert list(notifications_of(alice.pk)) == []  # not in the app's list
    assert Job.objects.filter(kind="notifications", arguments={"ids": [notice.pk]}).exists()

    preferences_save(person_id=alice.pk, choices={Kind.GOAL_CHANGED: Choice(False, False, False)})
    assert notify([changed(alice.pk, key="goal:1:3")]) == []  # nothing wanted: nothing kept
    assert Notification.objects.count() == 1


def test_an_unknown_kind_is_refused(small_org):
    with pytest.raises(ValueError):
        preferences_save(person_id=small_org.alice.pk, choices={"gossip": Choice(True, True, True)})


def test_only_a_person_s_own_notices_are_marked_read(small_org):
    alice, bob = small_org.alice, small_org.bob
    mine, theirs = notify([changed(alice.pk), changed(bob.pk)])
    assert mark_read(person_id=alice.pk, ids=[theirs.pk]) == 0
    assert mark_read(person_id=alice.pk, ids=[mine.pk]) == 1
    assert unread_count(alice.user) == 0 and unread_count(bob.user) == 1
    assert mark_all_read(person_id=bob.pk) == 1
    assert unread_count(bob.user) == 0


def test_a_notice_is_written_when_read_in_the_active_language(small_org):
    text = text_of(Kind.GOAL_CHANGED, PARAMS)
    assert text == "Your goal for Demos held, 2026-11 changed from 20 to 30."
    at_risk = {"metric": "demos_held", "period": "2026-11", "status": "behind",
               "actual": "4.00", "target": "30.00"}  # fmt: skip
    assert text_of(Kind.AT_RISK, at_risk) == (
        "Your goal for Demos held, 2026-11 is behind: 4 of 30 so far."
    )
    with translation.override("zh-hans"):  # the status and metric follow the language
        assert "Demos held" not in text_of(Kind.AT_RISK, at_risk)
