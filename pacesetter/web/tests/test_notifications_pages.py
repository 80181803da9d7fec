"""The notifications pages: a person's own notices (newest first, paginated, marked read
one by one or all at once, by POST), the unread count in the navigation, and each person's
choice of how to hear of each kind. Nobody sees or marks another's notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pacesetter.conftest import PASSWORD
from pacesetter.notifications.kinds import Choice
from pacesetter.notifications.models import Kind, Notification, NotificationPreference
from pacesetter.notifications.selectors import choices_of
from pacesetter.notifications.services import Event, notify

PARAMS = {"metric": "demos_held", "period": "2026-11", "old": "20.00", "new": "30.00"}


def changed(person, n: int) -> Event:
    return Event(person.pk, Kind.GOAL_CHANGED, f"goal:1:{n}", PARAMS, "/")


@pytest.fixture
def alice_client(client, small_org):
    assert client.login(username="alice", password=PASSWORD)
    return client


def test_a_person_sees_only_their_own_notices_newest_first(alice_client, small_org):
    notify([changed(small_org.alice, 1)], now=timezone.now() - dt.timedelta(hours=2))
    notify([changed(small_org.alice, 2), changed(small_org.bob, 3)])
    page = alice_client.get(reverse("notifications"))
    assert page.status_code == 200
    mine = list(Notification.objects.filter(recipient=small_org.alice).order_by("-created_at"))
    assert [row["notice"] for row in page.context["rows"]] == mine
    html = page.content.decode()
    assert html.count("Your goal for Demos held, 2026-11 changed from 20 to 30.") == 2
    assert 'id="unread-notifications"' in html and ">2</span>" in html  # the navigation


def test_the_list_is_paginated(alice_client, small_org):
    notify([changed(small_org.alice, n) for n in range(30)])
    first = alice_client.get(reverse("notifications"))
    second = alice_client.get(reverse("notifications") + "?page=2")
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 5
    assert "1 / 2" in first.content.decode()


def test_marking_read_is_a_post_of_one_s_own_notice(alice_client, small_org):
    [mine] = notify([changed(small_org.alice, 1)])
    [bobs] = notify([changed(small_org.bob, 1)])

    assert alice_client.get(reverse("notification_read", args=[mine.pk])).status_code == 405
    refused = alice_client.post(reverse("notification_read", args=[bobs.pk]))
    assert refused.status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None  # Alice's POST had no effect on Bob's notice

    done = alice_client.post(reverse("notification_read", args=[mine.pk]), {"page": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("notifications") + "?page=1"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Marked again (a second tab): no error.
    assert alice_client.post(reverse("notification_read", args=[mine.pk])).status_code == 302


def test_mark_all_read_marks_only_one_s_own(alice_client, small_org):
    notify([changed(small_org.alice, n) for n in range(3)] + [changed(small_org.bob, 1)])
    response = alice_client.post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=small_org.alice, read_at=None).exists()
    assert Notification.objects.get(recipient=small_org.bob).read_at is None
    html = alice_client.get(reverse("notifications")).content.decode()
    assert 'id="unread-notifications"' not in html


def test_marking_read_needs_the_csrf_token(small_org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)
    [mine] = notify([changed(small_org.alice, 1)])
    assert client.post(reverse("notification_read", args=[mine.pk])).status_code == 403
    assert client.post(reverse("notifications_read_all")).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_pages_need_a_login(client, small_org):
    for name in ("notifications", "notification_settings"):
        assert client.get(reverse(name)).status_code == 302
    assert client.post(reverse("notifications_read_all")).status_code == 302


def test_the_unread_count_costs_one_query(alice_client, small_org, django_assert_num_queries):
    from django.test import RequestFactory

    from pacesetter.web.context_processors import notifications

    notify([changed(small_org.alice, n) for n in range(3)])
    request = RequestFactory().get("/")
    request.user = small_org.alice.user
    count = notifications(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert count() == 3


def test_a_person_chooses_how_to_hear_of_each_kind(alice_client, small_org, settings):
    settings.SLACK_WEBHOOK_URL = "https://hooks.slack.example/services/T0/B0/very-secret-token"
    url = reverse("notification_settings")
    page = alice_client.get(url)
    assert page.status_code == 200
    assert "very-secret-token" not in page.content.decode()  # the webhook is a secret
    form = page.context["form"]
    assert form["at_risk__email"].value() is True and form["goal_changed__email"].value() is False

    data = {f"{kind}__in_app": "on" for kind in Kind.values}
    data |= {"goal_changed__email": "on", "at_risk__chat": "on"}  # no e-mail for at risk
    response = alice_client.post(url, data)
    assert response.status_code == 302
    chosen = choices_of([small_org.alice.pk])
    assert chosen[(small_org.alice.pk, Kind.GOAL_CHANGED)] == Choice(True, True, False)
    assert chosen[(small_org.alice.pk, Kind.AT_RISK)] == Choice(True, False, True)
    assert chosen[(small_org.alice.pk, Kind.REWARD_EARNED)] == Choice(True, False, False)
    assert not NotificationPreference.objects.filter(person=small_org.bob).exists()


def test_without_a_chat_channel_chat_cannot_be_chosen(alice_client, small_org, settings):
    settings.SLACK_WEBHOOK_URL = settings.TEAMS_WEBHOOK_URL = ""
    url = reverse("notification_settings")
    assert "disabled" in str(alice_client.get(url).context["form"]["reward_earned__chat"])
    alice_client.post(url, {"reward_earned__chat": "on"})
    assert not choices_of([small_org.alice.pk])[(small_org.alice.pk, Kind.REWARD_EARNED)].chat


def test_a_login_without_a_person_has_no_notices(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("ghost", "g@example.com", PASSWORD)
    assert client.login(username="ghost", password=PASSWORD)
    assert client.get(reverse("notifications")).status_code == 200
    assert client.get(reverse("notification_settings")).status_code == 404
    assert client.post(reverse("notifications_read_all")).status_code == 404


def test_every_notice_leads_to_a_page_its_reader_may_see(client, web_org):
    from decimal import Decimal

    from django.test import TestCase

    from pacesetter.goals.targets import goal_set_target
    from pacesetter.notifications.scan import scan
    from pacesetter.web.tests.conftest import log_demos, make_goal

    o = web_org.org
    start, end = web_org.alice_demos.period_start, web_org.alice_demos.period_end
    make_goal("demos_held", start, end, 30, unit=o.beta, kind="collective")
    log_demos(o.charlie, 30, start, web_org.today)
    with TestCase.captureOnCommitCallbacks(execute=True):
        goal_set_target(goal=web_org.alpha_meetings, target=Decimal(44), by=o.manager.user)
        goal_set_target(goal=web_org.bob_demos, target=Decimal(25), by=o.manager.user)
    scan(web_org.today)
    seen = set()
    for person in (o.alice, o.bob, o.charlie):
        assert client.login(username=person.user.username, password=PASSWORD)
        for notice in Notification.objects.filter(recipient=person):
            assert notice.url, notice.key
            assert client.get(notice.url).status_code == 200, (person, notice.key, notice.url)
            seen.add(notice.kind)
    # No "at risk" here: nobody in this org has history (notifications/tests/test_scan.py);
    # its notice links to the goal's page, as "goal changed" does.
    assert seen == {Kind.GOAL_CHANGED, Kind.CHECKIN_REQUESTED, Kind.COLLECTIVE_MET}
