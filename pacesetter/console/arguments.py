"""What the reporting commands share: which period and day they are about, and whom.

``progress``, ``collective``, ``leaderboard``, ``realism`` and ``scorecard`` take the same
``--period``/``--today`` and look units and people up the same way, with the same errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from pacesetter import planning
from pacesetter.goals.access import Scope, visible_scope
from pacesetter.metrics.models import Metric
from pacesetter.org.models import Person, Unit
from pacesetter.org.selectors import today_in_org, work_calendar

PERIOD_HELP = "2026-11, 2026-W47, 2026-Q4 or 2026 (default: this month)"


def add_when_arguments(parser: CommandParser, period_help: str = PERIOD_HELP) -> None:
    parser.add_argument("--period", help=period_help)
    parser.add_argument("--today", help="pretend it is this day (YYYY-MM-DD)")


def when(options: dict[str, Any]) -> tuple[planning.WorkCalendar, dt.date, planning.Period]:
    """The org's calendar, the day (``--today`` or the org's today) and the period
    (``--period`` or that day's month); a CommandError names what could not be read."""
    cal = work_calendar()
    try:
        today = (
            planning.parse_period(options["today"], cal).start
            if options.get("today")
            else today_in_org()
        )
        period = (
            planning.parse_period(options["period"], cal)
            if options.get("period")
            else planning.month_of(today)
        )
    except ValueError as error:
        raise CommandError(str(error)) from None
    return cal, today, period


def unit_named(name: str) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        raise CommandError(f"no unit named {name!r}")
    return unit


def person_named(who: str) -> Person:
    """A person by e-mail address or login."""
    person = Person.objects.filter(Q(email=who) | Q(user__username=who)).first()
    if person is None:
        raise CommandError(f"no person with e-mail or login {who!r}")
    return person


def plain_number(value: Decimal | None, unit: str) -> Decimal | None:
    """Money in cents; counts and percents without trailing zeros when whole (5, not 5.00)."""
    if value is None:
        return None
    if unit != Metric.Unit.MONEY and value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.01"))


def user_scope(login: str | None) -> tuple[User | None, Scope | None]:
    """The user ``--by LOGIN`` names and what they may see and change today; (None, None)
    without ``--by``: the command runs as whoever runs the server."""
    if not login:
        return None, None
    user = get_user_model().objects.filter(username=login).first()
    if user is None:
        raise CommandError(f"no user with login {login!r}")
    return user, visible_scope(user, today_in_org())


def admin_named(login: str | None) -> User | None:
    """The user ``--by LOGIN`` names, who must be an admin (None without ``--by``)."""
    user, scope = user_scope(login)
    if scope is not None and not scope.is_admin:
        raise CommandError(f"{login} is not an admin: only an admin may do this")
    return user
