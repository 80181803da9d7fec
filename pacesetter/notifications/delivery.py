"""Delivery of notices by e-mail and to chat, off the request path (``tasks.deliver_task``).

E-mail goes through Django's ``send_mail`` (the digest's settings), in the recipient's
language. Chat goes to the org's incoming webhooks, in the site's language (a channel is
shared): Slack gets ``{"text": …}``; Microsoft Teams gets a message with an Adaptive Card
attachment, the shape its incoming webhooks (and Workflows' "post to a channel when a
webhook request is received") take. Each POST has a timeout and is tried again with back-off
on 429 (honouring ``Retry-After``) and 5xx; nothing here raises: a failure is logged
(without the webhook's URL, a secret) and recorded on the notice.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from pacesetter.notifications.kinds import kind_label, text_of
from pacesetter.notifications.models import Delivery, Notification

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds per attempt
ATTEMPTS = 3
MAX_WAIT = 30  # seconds: the longest Retry-After honoured
USER_AGENT = "Pacesetter notifications"


@dataclass(frozen=True)
class Posting:
    """How hard to try: tests shorten the waits."""

    attempts: int = ATTEMPTS
    timeout: float = TIMEOUT
    backoff: float = 1.0  # seconds before the 2nd attempt, doubled after each
    sleep: Callable[[float], None] = time.sleep


def post_json(url: str, payload: dict[str, Any], posting: Posting | None = None) -> bool:
    """POST ``payload`` as JSON; True once the server accepts it (2xx). Never raises."""
    how = posting or Posting()
    body = json.dumps(payload).encode()
    host = urlsplit(url).hostname or "?"
    for attempt in range(1, how.attempts + 1):
        wait = how.backoff * 2 ** (attempt - 1)
        try:
            request = urllib.request.Request(
                url,
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
            )
            with urllib.request.urlopen(request, timeout=how.timeout) as response:
                response.read()
                return True
        except urllib.error.HTTPError as error:
            if error.code != 429 and error.code < 500:
                logger.error("chat webhook at %s refused the message: HTTP %s", host, error.code)
                return False
            wait = _retry_after(error, wait)
            logger.warning(
                "chat webhook at %s answered HTTP %s (try %s)", host, error.code, attempt
            )
        except (OSError, ValueError) as error:  # refused, timed out, DNS, a malformed URL
            logger.warning("chat webhook at %s failed (try %s): %s", host, attempt, error)
        if attempt < how.attempts:
            how.sleep(wait)
    return False


def _retry_after(error: urllib.error.HTTPError, wait: float) -> float:
    value = error.headers.get("Retry-After", "") if error.headers else ""
    try:
        return min(max(float(value), 0.0), MAX_WAIT)
    except ValueError:
        return wait


def absolute(url: str) -> str:
    """A link for outside the app: the path under ``SITE_URL`` ("" without a site URL)."""
    if not url or not settings.SITE_URL:
        return ""
    return settings.SITE_URL + url


def slack_escape(text: str) -> str:
    """Slack reads ``&``, ``<`` and ``>`` as markup: a team called "R&D <EMEA>" is escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(text: str, link: str) -> dict[str, Any]:
    words = slack_escape(text)
    return {"text": f"{words} <{link}|{slack_escape(_('Open in Pacesetter'))}>" if link else words}


def teams_payload(title: str, text: str, link: str) -> dict[str, Any]:
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": text, "wrap": True},
        ],
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": _("Open in Pacesetter"),
                            "url": link}]  # fmt: skip
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def chat_message(
    notice: Notification, posting: Posting | None = None, down: set[str] | None = None
) -> bool:
    """Post the notice to every chat webhook set; True when all accepted it. A webhook in
    ``down`` (it failed earlier in this run, after its retries) is not tried again: the
    notice is failed at once, so a channel that is down does not hold up the rest; one that
    fails now is added to it."""
    down = set() if down is None else down
    with translation.override(settings.LANGUAGE_CODE):
        title = kind_label(notice.kind)
        text = _("For %(name)s: %(text)s") % {
            "name": notice.recipient.full_name,
            "text": text_of(notice.kind, notice.params),
        }
        link = absolute(notice.url)
        posts = [
            (settings.SLACK_WEBHOOK_URL, slack_payload(text, link)),
            (settings.TEAMS_WEBHOOK_URL, teams_payload(title, text, link)),
        ]
    sent = []
    for url, payload in posts:
        if not url:
            continue
        ok = url not in down and post_json(url, payload, posting)
        if not ok:
            down.add(url)
        sent.append(ok)
    return bool(sent) and all(sent)


def email_message(notice: Notification) -> bool:
    """E-mail the notice to its recipient, in their language; False without an address."""
    person = notice.recipient
    if not person.email:
        return False
    with translation.override(person.language_code):
        subject = _("Pacesetter: %(kind)s") % {"kind": kind_label(notice.kind)}
        body = text_of(notice.kind, notice.params)
        link = absolute(notice.url)
        if link:
            body += "\n\n" + link
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except Exception:  # the mail server's trouble is recorded, never raised
            logger.exception("notification %s could not be e-mailed", notice.pk)
            return False
    return True


def _claim(notice_id: int, field: str) -> bool:
    """Take the delivery on one channel (so two workers never both send it)."""
    with transaction.atomic():
        return bool(
            Notification.objects.filter(pk=notice_id, **{field: Delivery.PENDING}).update(
                **{field: Delivery.SENDING}
            )
        )


def deliver(ids: list[int], posting: Posting | None = None) -> dict[str, int]:
    """Send the pending e-mails and chat messages of these notices; counts by outcome."""
    counts = {"emailed": 0, "posted": 0, "failed": 0}
    down: set[str] = set()  # webhooks that failed in this run
    notices = Notification.objects.filter(pk__in=ids).select_related("recipient")
    for notice in notices:
        if notice.email_status == Delivery.PENDING and _claim(notice.pk, "email_status"):
            ok = email_message(notice)
            _done(notice.pk, "email_status", ok)
            counts["emailed" if ok else "failed"] += 1
        if notice.chat_status == Delivery.PENDING and _claim(notice.pk, "chat_status"):
            ok = chat_message(notice, posting, down)
            _done(notice.pk, "chat_status", ok)
            counts["posted" if ok else "failed"] += 1
    return counts


def _done(notice_id: int, field: str, ok: bool) -> None:
    status = Delivery.SENT if ok else Delivery.FAILED
    Notification.objects.filter(pk=notice_id).update(**{field: status})
