"""Delivery off the request path: e-mail through Django's mail (locmem here), Slack and
Microsoft Teams through their incoming webhooks — tested against a real HTTP server started
here, which records what it received and answers as told (429, 500 …)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.test import TestCase

from pacesetter.jobs.models import Job
from pacesetter.notifications.delivery import Posting, deliver, post_json
from pacesetter.notifications.models import Delivery, Kind, Notification
from pacesetter.notifications.services import Event, notify

PARAMS = {"metric": "demos_held", "period": "2026-11", "reward": "$250 bonus"}
QUICK = Posting(attempts=3, timeout=5, backoff=0.0)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class Hook:
    """A webhook server: ``answers`` are the status codes to give, in order (then 200)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(Received(self.path, dict(self.headers), json.loads(body)))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            if code == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(b"ok" if code == 200 else b"busy")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def webhooks(settings, hook) -> Hook:
    settings.SLACK_WEBHOOK_URL = f"{hook.url}/slack/T000/B000/secret"
    settings.TEAMS_WEBHOOK_URL = f"{hook.url}/teams/secret"
    settings.SITE_URL = "https://pacesetter.example.com"
    settings.NOTIFICATION_RETRY_BACKOFF = 0
    return hook


def reward_for(person) -> Event:
    return Event(person.pk, Kind.REWARD_EARNED, "reward:7", PARAMS, "/rewards/")


def test_a_reward_goes_to_slack_teams_and_e_mail_once_committed(small_org, webhooks):
    alice = small_org.alice
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reward_for(alice)])
        assert webhooks.received == [] and mail.outbox == []  # not before the commit

    slack, teams = sorted(webhooks.received, key=lambda r: r.path)
    text = "For Alice Adams: You earned “$250 bonus” for your goal Demos held, 2026-11."
    assert slack.path == "/slack/T000/B000/secret"
    assert slack.headers["Content-Type"] == "application/json"
    assert slack.body == {
        "text": f"{text} <https://pacesetter.example.com/rewards/|Open in Pacesetter>"
    }
    assert teams.path == "/teams/secret"
    assert teams.headers["Content-Type"] == "application/json"
    attachment = teams.body["attachments"][0]
    assert teams.body["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert [b["text"] for b in card["body"]] == ["Reward earned", text]
    assert card["actions"][0]["url"] == "https://pacesetter.example.com/rewards/"

    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "Pacesetter: Reward earned"
    assert "You earned “$250 bonus”" in email.body
    assert "https://pacesetter.example.com/rewards/" in email.body
    notice = Notification.objects.get()
    assert (notice.email_status, notice.chat_status) == (Delivery.SENT, Delivery.SENT)
    assert Job.objects.get(kind="notifications").status == Job.Status.DONE

    deliver([notice.pk], QUICK)  # delivered twice: sent once
    assert len(webhooks.received) == 2 and len(mail.outbox) == 1


def test_a_busy_webhook_is_tried_again_and_a_broken_one_never_raises(hook):
    hook.answers = [429, 503]
    assert post_json(f"{hook.url}/slack", {"text": "hi"}, QUICK) is True
    assert len(hook.received) == 3  # 429, 503, then accepted

    hook.received.clear()
    hook.answers = [500, 500, 500]
    assert post_json(f"{hook.url}/slack", {"text": "hi"}, QUICK) is False
    assert len(hook.received) == 3  # gave up after three tries

    hook.received.clear()
    hook.answers = [404]
    assert post_json(f"{hook.url}/slack", {"text": "hi"}, QUICK) is False
    assert len(hook.received) == 1  # refused: not tried again

    assert post_json("http://127.0.0.1:9/nothing-listens", {"text": "hi"}, QUICK) is False


def test_a_failed_chat_message_is_recorded_not_raised(small_org, webhooks):
    webhooks.answers = [500, 500, 500]
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reward_for(small_org.alice)])
    notice = Notification.objects.get()
    assert notice.chat_status == Delivery.FAILED
    assert notice.email_status == Delivery.SENT  # the e-mail went anyway


def test_e_mail_is_written_in_the_recipient_s_language(small_org, settings):
    settings.SLACK_WEBHOOK_URL = settings.TEAMS_WEBHOOK_URL = ""
    bob = small_org.bob
    bob.language = "zh-hans"
    bob.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reward_for(bob)])
    [email] = mail.outbox
    assert "Demos held" not in email.body  # the metric in Chinese
    assert Notification.objects.get().chat_status == Delivery.NONE  # no webhook: no chat


def test_no_address_no_e_mail(small_org, settings):
    settings.SLACK_WEBHOOK_URL = settings.TEAMS_WEBHOOK_URL = ""
    alice = small_org.alice
    alice.email = ""
    alice.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reward_for(alice)])
    assert mail.outbox == []
    assert Notification.objects.get().email_status == Delivery.FAILED


def test_a_channel_that_is_down_does_not_hold_up_the_rest(small_org, webhooks, settings):
    settings.TEAMS_WEBHOOK_URL = ""
    webhooks.answers = [500, 500, 500]  # the first notice's three tries; then it would answer
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([reward_for(small_org.alice), reward_for(small_org.bob)])
    assert len(webhooks.received) == 3  # the second notice was not tried after the first failed
    assert set(Notification.objects.values_list("chat_status", flat=True)) == {Delivery.FAILED}
    assert len(mail.outbox) == 2  # e-mail is another channel: both went


def test_slack_markup_in_names_is_escaped(small_org, webhooks, settings):
    settings.TEAMS_WEBHOOK_URL = ""
    event = Event(small_org.alice.pk, Kind.COLLECTIVE_MET, "collective_met:1",
                  {**PARAMS, "unit": "R&D <EMEA>"}, "/units/2/collective/")  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([event])
    [slack] = webhooks.received
    assert slack.body["text"].startswith("For Alice Adams: R&amp;D &lt;EMEA&gt; met its collective")
    assert slack.body["text"].endswith(
        "<https://pacesetter.example.com/units/2/collective/|Open in Pacesetter>"
    )
