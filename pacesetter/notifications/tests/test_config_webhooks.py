"""The chat webhooks: one setting each, read in ``config.py``; a bad one fails loudly
without echoing the value (a webhook URL is a secret)."""

from __future__ import annotations

import pytest

from pacesetter.config import ChatWebhooks, ConfigError, chat_webhooks


def test_the_webhooks_are_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("PACESETTER_SLACK_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("PACESETTER_TEAMS_WEBHOOK_URL", raising=False)
    assert chat_webhooks() == ChatWebhooks("", "")
    slack = "https://hooks.slack.com/services/T000/B000/abc"
    teams = "https://example.webhook.office.com/webhookb2/x/IncomingWebhook/y/z"
    monkeypatch.setenv("PACESETTER_SLACK_WEBHOOK_URL", slack)
    monkeypatch.setenv("PACESETTER_TEAMS_WEBHOOK_URL", f" {teams} ")
    assert chat_webhooks() == ChatWebhooks(slack, teams)


@pytest.mark.parametrize("value", ["hooks.slack.com/services/secret", "ftp://x/secret", "https://"])
def test_a_malformed_webhook_is_refused_without_showing_it(monkeypatch, value):
    monkeypatch.setenv("PACESETTER_SLACK_WEBHOOK_URL", value)
    with pytest.raises(ConfigError) as error:
        chat_webhooks()
    assert "PACESETTER_SLACK_WEBHOOK_URL" in str(error.value)
    assert "secret" not in str(error.value)
