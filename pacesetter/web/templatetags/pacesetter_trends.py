"""``{% sparkline trend %}``: a month-over-month attainment trend as a small inline SVG.

Drawn on the server (no script), with SVG attributes only (nothing the Content-Security-Policy
could refuse), and read out by screen readers from its ``aria-label`` and ``<title>``: every
month and its attainment. The trend comes from ``tracking.trends`` (computed by the page's
builder for all its goals at once): this tag only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from pacesetter.presentation import percent
from pacesetter.tracking.trends import MonthPoint, Trend

register = template.Library()

WIDTH, HEIGHT, PAD = 84, 22, 2
FLOOR_TOP = Decimal(120)  # the scale reaches at least 120 %, so 100 % sits below the top
CEILING = Decimal(200)  # and at most 200 %: a month far above it is drawn at the top


@dataclass(frozen=True)
class Dot:
    x: str
    y: str
    to_date: bool


@dataclass(frozen=True)
class Spark:
    """What ``web/_sparkline.html`` draws."""

    width: int
    height: int
    label: str
    target_y: str
    segments: tuple[str, ...]  # polyline points of runs of months with an attainment
    dots: tuple[Dot, ...]


def _point_text(point: MonthPoint) -> str:
    month = f"{point.month:%Y-%m}"
    value = _("no goal") if point.target is None else percent(point.attainment, 0)
    if point.to_date:
        return _("%(month)s (to date): %(value)s") % {"month": month, "value": value}
    return _("%(month)s: %(value)s") % {"month": month, "value": value}


def spark_of(trend: Trend | None) -> Spark | None:
    """The drawing of a trend; None when no month has an attainment (nothing to draw)."""
    if trend is None or all(p.attainment is None for p in trend.points):
        return None
    points = trend.points
    top = min(CEILING, max([FLOOR_TOP, *(p.attainment for p in points if p.attainment)]))
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = Decimal(inner_w) / max(1, len(points) - 1)

    def y(value: Decimal) -> str:
        share = min(value, top) / top
        return f"{PAD + inner_h * (1 - share):.1f}"

    segments: list[str] = []
    run: list[str] = []
    dots = []
    for i, p in enumerate(points):
        x = f"{PAD + step * i:.1f}"
        if p.attainment is None:
            if run:
                segments.append(" ".join(run))
            run = []
            continue
        run.append(f"{x},{y(p.attainment)}")
        dots.append(Dot(x, y(p.attainment), p.to_date))
    if run:
        segments.append(" ".join(run))
    label = _("Attainment by month: %(months)s") % {
        "months": ", ".join(_point_text(p) for p in points)
    }
    return Spark(WIDTH, HEIGHT, label, y(Decimal(100)), tuple(s for s in segments if " " in s),
                 tuple(dots))  # fmt: skip


@register.inclusion_tag("web/_sparkline.html")
def sparkline(trend: Trend | None) -> dict[str, Any]:
    """The sparkline of ``trend`` (nothing without one)."""
    return {"spark": spark_of(trend)}
