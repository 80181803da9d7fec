"""What each kind of notification says, and who gets which by default.

A notice stores its kind and parameters; ``text_of`` writes the sentence in the active
language when someone reads it (the page, the e-mail in the recipient's language, the chat
message in the site's). Parameters are data: a metric's name (``demos_held``), a period as
people name it in every language (``2026-11``), numbers as plain decimals (``"30.00"``),
names typed by people (a reward's, a team's) shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from pacesetter.notifications.models import Kind
from pacesetter.presentation import METRIC_LABELS, plain, status_label

# E-mail by default for what a person should not miss; the rest stays in the app.
EMAIL_BY_DEFAULT = {Kind.AT_RISK, Kind.REWARD_EARNED}
# Chat (the org's shared channel) by default for good news only, once a webhook is set:
# a goal at risk is not announced to the whole channel unless the person chooses it.
CHAT_BY_DEFAULT = {Kind.REWARD_EARNED, Kind.COLLECTIVE_MET}


@dataclass(frozen=True)
class Choice:
    """How a person hears of one kind of event."""

    in_app: bool
    email: bool
    chat: bool


def chat_configured() -> bool:
    return bool(settings.SLACK_WEBHOOK_URL or settings.TEAMS_WEBHOOK_URL)


def default_choice(kind: str) -> Choice:
    """In the app: everything. E-mail: at risk and rewards. Chat: good news, when the org
    set a webhook."""
    return Choice(
        in_app=True,
        email=kind in EMAIL_BY_DEFAULT,
        chat=chat_configured() and kind in CHAT_BY_DEFAULT,
    )


def kind_label(kind: str) -> str:
    try:
        return str(Kind(kind).label)
    except ValueError:
        return kind


def _number(value: Any) -> str:
    try:
        return plain(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def goal_name(params: dict[str, Any]) -> str:
    """ "Demos held, 2026-11" in the active language."""
    metric = str(params.get("metric", ""))
    label = METRIC_LABELS.get(metric)
    return _("%(metric)s, %(period)s") % {
        "metric": metric if label is None else str(label),
        "period": params.get("period", ""),
    }


def _goal_changed(p: dict[str, Any]) -> str:
    values = {"goal": goal_name(p), "old": _number(p.get("old")), "new": _number(p.get("new"))}
    if p.get("unit"):
        return _("The goal of %(unit)s for %(goal)s changed from %(old)s to %(new)s.") % {
            **values,
            "unit": p["unit"],
        }
    return _("Your goal for %(goal)s changed from %(old)s to %(new)s.") % values


def _checkin_requested(p: dict[str, Any]) -> str:
    return _(
        "Your goal for %(goal)s was set or changed: say how realistic, challenging and "
        "achievable it feels."
    ) % {"goal": goal_name(p)}


def _at_risk(p: dict[str, Any]) -> str:
    return _("Your goal for %(goal)s is %(status)s: %(actual)s of %(target)s so far.") % {
        "goal": goal_name(p),
        "status": status_label(str(p.get("status", ""))),
        "actual": _number(p.get("actual")),
        "target": _number(p.get("target")),
    }


def _reward_earned(p: dict[str, Any]) -> str:
    return _("You earned “%(reward)s” for your goal %(goal)s.") % {
        "reward": p.get("reward", ""),
        "goal": goal_name(p),
    }


def _collective_met(p: dict[str, Any]) -> str:
    return _("%(unit)s met its collective goal for %(goal)s: every member reached theirs.") % {
        "unit": p.get("unit", ""),
        "goal": goal_name(p),
    }


WRITERS = {
    Kind.GOAL_CHANGED: _goal_changed,
    Kind.CHECKIN_REQUESTED: _checkin_requested,
    Kind.AT_RISK: _at_risk,
    Kind.REWARD_EARNED: _reward_earned,
    Kind.COLLECTIVE_MET: _collective_met,
}


def text_of(kind: str, params: dict[str, Any]) -> str:
    """The notice as a sentence, in the active language."""
    writer = WRITERS.get(kind)  # type: ignore[call-overload]
    return kind_label(kind) if writer is None else writer(params)
