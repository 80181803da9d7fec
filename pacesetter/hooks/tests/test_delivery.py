"""Deliveries to a real local HTTP server: signed with the endpoint's secret, retried with
back-off after a 500, never sent to an endpoint that is switched off."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pacesetter.hooks.delivery import MAX_ATTEMPTS, backoff
from pacesetter.hooks.models import Delivery, Endpoint, EventType
from pacesetter.hooks.services import HookEvent, emit, endpoint_create, endpoint_set_enabled
from pacesetter.hooks.signing import HEADER, verify
from pacesetter.jobs.models import Job

MET = HookEvent(EventType.GOAL_MET, "goal.met:7", {"goal": {"id": 7, "target": "30.00"}})
DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def quick(settings):
    settings.HOOKS_RETRY_BASE_SECONDS = 0


def send(events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return emit(events)


def test_a_delivery_is_signed_with_the_endpoints_secret(
    db, receiver, django_capture_on_commit_callbacks
):
    _endpoint, secret = endpoint_create(name="CRM", url=receiver.url)
    assert secret.startswith("whsec_") and len(secret) > 40
    send([MET], django_capture_on_commit_callbacks)

    [post] = receiver.posts
    assert post.path == "/hooks/pacesetter"
    assert post.headers["Content-Type"] == "application/json"
    assert post.headers["X-Pacesetter-Event"] == "goal.met"
    assert verify(secret, post.headers[HEADER], post.body)
    assert not verify("whsec_wrong", post.headers[HEADER], post.body)
    assert not verify(secret, post.headers[HEADER], post.body + b" ")
    payload = json.loads(post.body)
    assert payload["id"] == "goal.met:7" and payload["type"] == "goal.met"
    assert payload["data"] == {"goal": {"id": 7, "target": "30.00"}}

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    [attempt] = delivery.log.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")
    assert attempt.duration_ms >= 0
    assert Job.objects.get().status == "done"


def test_a_signature_too_old_is_refused():
    from pacesetter.hooks.signing import signature

    header = signature("whsec_x", 1_000_000, b"{}")
    assert verify("whsec_x", header, b"{}", now=1_000_100)
    assert not verify("whsec_x", header, b"{}", now=1_000_000 + 301)


def test_a_500_is_retried_with_the_same_body_until_it_succeeds(
    db, receiver, quick, django_capture_on_commit_callbacks
):
    _endpoint, secret = endpoint_create(name="CRM", url=receiver.url)
    receiver.answers = [500, 503]
    send([MET], django_capture_on_commit_callbacks)

    assert len(receiver.posts) == 3
    assert len({post.body for post in receiver.posts}) == 1  # the same event, the same bytes
    assert all(verify(secret, p.headers[HEADER], p.body) for p in receiver.posts)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    log = [(a.number, a.status_code, a.error) for a in delivery.log.all()]
    assert log == [
        (1, 500, "HTTP 500 Internal Server Error"),
        (2, 503, "HTTP 503 Service Unavailable"),
        (3, 200, ""),
    ]


def test_a_delivery_that_keeps_failing_fails_after_the_last_attempt(
    db, quick, django_capture_on_commit_callbacks
):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    endpoint_create(name="Gone", url=f"http://127.0.0.1:{port}/")
    send([MET], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert delivery.last_status_code is None
    assert "refused" in delivery.last_error.lower()
    assert delivery.log.count() == MAX_ATTEMPTS


def test_the_back_off_doubles_and_the_worker_waits_for_it(
    db, receiver, settings, django_capture_on_commit_callbacks
):
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    settings.TASKS = DATABASE_BACKEND
    endpoint_create(name="CRM", url=receiver.url)
    receiver.answers = [500]
    send([MET], django_capture_on_commit_callbacks)
    first = DBTaskResult.objects.get()
    assert receiver.posts == []  # queued for the worker, to run at once

    job = Job.objects.get()
    from pacesetter.hooks.tasks import deliver_task

    with django_capture_on_commit_callbacks(execute=True):
        deliver_task.call(job.pk)  # the worker runs it: the 500 comes back
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.run_after == delivery.next_attempt_at
    wait = delivery.next_attempt_at - delivery.log.get().at
    assert wait == dt.timedelta(seconds=60)
    assert retry.run_after > timezone.now()


def test_no_delivery_to_an_endpoint_switched_off(db, receiver, django_capture_on_commit_callbacks):
    off, _secret = endpoint_create(name="Off", url=receiver.url + "/off")
    endpoint_set_enabled(endpoint=off, enabled=False)
    endpoint_create(name="On", url=receiver.url + "/on")
    send([MET], django_capture_on_commit_callbacks)
    assert [p.path for p in receiver.posts] == ["/hooks/pacesetter/on"]
    assert not Delivery.objects.filter(endpoint=off).exists()


def test_an_endpoint_switched_off_after_the_event_gets_nothing(
    db, receiver, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_BACKEND
    endpoint, _secret = endpoint_create(name="CRM", url=receiver.url)
    send([MET], django_capture_on_commit_callbacks)
    endpoint_set_enabled(endpoint=endpoint, enabled=False)
    from pacesetter.hooks.tasks import deliver_task

    deliver_task.call(Job.objects.get().pk)
    assert receiver.posts == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 0)
    assert delivery.last_error == "the endpoint was switched off"


def test_an_endpoint_gets_only_the_events_it_chose_and_each_once(
    db, receiver, django_capture_on_commit_callbacks
):
    endpoint_create(name="Imports", url=receiver.url, events=[EventType.IMPORT_FINISHED])
    endpoint_create(name="All", url=receiver.url + "/all")
    send([MET, MET], django_capture_on_commit_callbacks)
    send([MET], django_capture_on_commit_callbacks)  # found again: not sent again
    assert [p.path for p in receiver.posts] == ["/hooks/pacesetter/all"]
    assert Delivery.objects.count() == 1


def test_unknown_events_are_refused(db):
    with pytest.raises(ValueError, match="unknown webhook events"):
        endpoint_create(name="X", url="https://example.com/", events=["goal.exploded"])
    assert not Endpoint.objects.exists()
