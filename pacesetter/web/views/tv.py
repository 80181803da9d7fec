"""TV mode: one leaderboard or collective goal, full screen, for a screen nobody logs in to.

A manager (or an admin) makes a link on ``/units/<id>/tv/`` for a board of a unit they
manage; the link (``tracking/tv.py``) is shown once and works until it expires or is
revoked. ``/tv/<token>/`` needs no login and shows that board only — no navigation, no other
board — and refreshes its board every minute (htmx polls the same URL for the fragment; a
link that stopped working answers 404 and ``HX-Refresh`` reloads the page to say so).
Each client address may ask a limited number of times a minute, per link and in all
(429 beyond).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pacesetter.goals.models import Goal
from pacesetter.metrics.models import Metric
from pacesetter.org.models import OrgSettings, Unit
from pacesetter.org.selectors import subtree_ids, today_in_org, work_calendar
from pacesetter.presentation import currency_symbol, metric_value
from pacesetter.tracking.collective import collective_status, unit_goals_of_kind
from pacesetter.tracking.leaderboard import competition_standings
from pacesetter.tracking.models import TvLink
from pacesetter.tracking.selectors import period_label
from pacesetter.tracking.tv import (
    TV_KINDS,
    tv_link_create,
    tv_link_resolve,
    tv_link_revoke,
    tv_linked_goals,
    tv_links_live,
)
from pacesetter.web.access import managers_only, unit_or_404
from pacesetter.web.labels import metric_label
from pacesetter.web.requests import ScopedRequest
from pacesetter.web.views.competitions import STATE_LABELS, _board
from pacesetter.web.views.rendering import wants_fragment

# Asks a minute from one address: for one link (a screen polls once a minute; a few
# screens may share an address), and for any link.
THROTTLE_PER_LINK = 30
THROTTLE_PER_ADDRESS = 120
REFRESH_SECONDS = 60
NEW_LINK_KEY = "tv_new_link"


# --- making and revoking links (managers) ------------------------------------------------------


@dataclass
class TvBoard:
    goal: Goal
    label: str
    period: str
    links: list[TvLink]


def _goals_of(unit: Unit, today: dt.date) -> list[Goal]:
    """The unit's (and its subtree's) competitions and collective goals running today, and
    any other of them that still has a live link."""
    ids = subtree_ids([unit.pk])
    tomorrow = today + dt.timedelta(days=1)
    running = [
        g for kind in TV_KINDS for g in unit_goals_of_kind(kind, today, tomorrow, unit_id=unit.pk)
    ]
    found = {g.pk: g for g in [*running, *tv_linked_goals(ids)]}
    return sorted(found.values(), key=lambda g: (g.kind, str(g.unit), g.period_start, g.pk))


@require_http_methods(["GET", "POST"])
@managers_only
def unit_tv(request: ScopedRequest, pk: int) -> HttpResponse:
    """The unit's boards with their TV links: make one (shown once), revoke one."""
    unit = unit_or_404(request.scope, pk)
    if request.method == "POST":
        return _act(request, unit)
    goals = _goals_of(unit, request.today)
    live = tv_links_live(g.pk for g in goals)
    cal = work_calendar()
    boards = [
        TvBoard(
            g,
            metric_label(g.metric),
            period_label(g, cal),
            [link for link in live if link.goal_id == g.pk],
        )
        for g in goals
    ]
    context = {
        "unit": unit,
        "boards": boards,
        "new_link": request.session.pop(NEW_LINK_KEY, None),
        "scope": request.scope,
    }
    return render(request, "web/tv_links.html", context)


def _act(request: ScopedRequest, unit: Unit) -> HttpResponse:
    ids = subtree_ids([unit.pk])
    if request.POST.get("action") == "revoke":
        link_id = _int(request.POST.get("link"))
        link = TvLink.objects.filter(pk=link_id or 0, goal__unit_id__in=ids).first()
        if link is None:
            raise Http404
        tv_link_revoke(link=link, by=request.user)
        messages.success(request, _("The TV link is revoked: its screen goes blank."))
        return redirect("unit_tv", pk=unit.pk)
    goal_id = _int(request.POST.get("goal")) or 0
    goal = Goal.objects.filter(pk=goal_id, kind__in=TV_KINDS, unit_id__in=ids).first()
    if goal is None:
        raise Http404
    try:
        link, token = tv_link_create(goal=goal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("unit_tv", pk=unit.pk)
    url = request.build_absolute_uri(reverse("tv_board", args=[token]))
    request.session[NEW_LINK_KEY] = {"url": url, "goal": goal.pk, "link": link.pk}
    return redirect("unit_tv", pk=unit.pk)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- the screen (no login) ---------------------------------------------------------------------


def _count(key: str) -> int:
    """Count one more ask under ``key`` this minute (the cache forgets it after two)."""
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # forgotten between the two calls
        cache.set(key, 1, timeout=120)
        return 1


def _throttled(request: HttpRequest, token: str) -> bool:
    """Too many asks this minute: for this link from this address (a screen polls once a
    minute), or for any link from this address (guessing links)."""
    address = request.META.get("REMOTE_ADDR", "")
    minute = int(time.time() // 60)
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    per_link = _count(f"tv-throttle:{address}:{digest}:{minute}")
    per_address = _count(f"tv-throttle:{address}:{minute}")
    return per_link > THROTTLE_PER_LINK or per_address > THROTTLE_PER_ADDRESS


@dataclass
class Chip:
    name: str
    state: str
    state_label: str
    numbers: str
    bar_percent: Decimal


def _collective(goal: Goal, today: dt.date, symbol: str) -> dict[str, object]:
    status = collective_status([goal], today)[goal.pk]
    chips = []
    for m in status.members:
        p = m.progress
        numbers = ""
        bar = Decimal(0)
        if p is not None:
            numbers = f"{metric_value(p.actual, p.metric.unit, symbol)} / "
            numbers += metric_value(p.target, p.metric.unit, symbol)
            bar = min(Decimal(100), p.attainment or Decimal(0))
        chips.append(Chip(m.person.full_name, m.state, str(STATE_LABELS[m.state]), numbers, bar))
    counted = len(status.counted)
    met_percent = Decimal(status.met_count * 100 / counted) if counted else Decimal(0)
    return {
        "status": status,
        "chips": chips,
        "counted": counted,
        "to_go": len(status.blockers),
        "met_percent": met_percent.quantize(Decimal("0.1")),
    }


def _competition(goal: Goal, today: dt.date, symbol: str) -> dict[str, object]:
    metric = Metric.objects.get(name=goal.metric)
    standings = competition_standings(goal, today, basis="percent")
    board = _board(goal, standings, metric, basis="percent", period="", me=None, symbol=symbol)
    return {"board": board}


def _gone(request: HttpRequest) -> HttpResponse:
    response = render(request, "web/tv_gone.html", status=404)
    response["HX-Refresh"] = "true"  # a polling screen reloads, and shows this page
    return response


@require_GET
def tv_board(request: HttpRequest, token: str) -> HttpResponse:
    """The board a TV link stands for, full screen; its fragment for htmx's polling."""
    if _throttled(request, token):
        response = render(request, "web/tv_gone.html", {"busy": True}, status=429)
        response["Retry-After"] = "60"
        return response
    link = tv_link_resolve(token)
    if link is None:
        return _gone(request)
    goal, today = link.goal, today_in_org()
    symbol = currency_symbol(OrgSettings.load().currency)
    context: dict[str, object] = {
        "goal": goal,
        "label": metric_label(goal.metric),
        "period": period_label(goal, work_calendar()),
        "refresh": REFRESH_SECONDS,
        "today": today,
    }
    if goal.kind == Goal.Kind.COLLECTIVE:
        context.update(_collective(goal, today, symbol))
    else:
        context.update(_competition(goal, today, symbol))
    template = "web/_tv_board.html" if wants_fragment(request) else "web/tv.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_vary_headers(response, ("HX-Request",))  # the page and its fragment apart
    return response
