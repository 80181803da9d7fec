"""Template filters that show stored codes in the reader's language."""

from __future__ import annotations

import datetime as dt

from django import template

from pacesetter.presentation import status_label
from pacesetter.web.labels import (
    FUNNEL_STAGE_LABELS,
    ROLE_LABELS,
    SCORE_STATE_LABELS,
    SEASONALITY_LABELS,
    label_of,
    metric_label,
    part_label,
)

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """``rep`` → "rep" / "销售代表"."""
    return str(ROLE_LABELS.get(code, code))


@register.filter
def metric_name(name: str) -> str:
    """``demos_held`` → "Demos held" / "产品演示"."""
    return metric_label(name)


@register.filter
def week_part(days: tuple[dt.date, dt.date]) -> str:
    """The days ``(start, end)`` of a part of a week → "December 1 – December 6"."""
    return part_label(*days)


@register.filter
def status_name(code: str) -> str:
    """A status code in words (``behind`` → "behind" / "落后"): beside a colour, for those
    who cannot tell the colour; ``none`` → ""."""
    return "" if code in ("", "none") else status_label(code)


@register.filter
def score_state(code: str) -> str:
    """A scorecard row's state: ``met`` → "met" / "已达成"."""
    return label_of(SCORE_STATE_LABELS, code)


@register.filter
def seasonality_label(code: str) -> str:
    """A plan's seasonality: ``flat`` → "flat (every month alike)" / "平均（每月相同）"."""
    return label_of(SEASONALITY_LABELS, code)


@register.filter
def funnel_stage(code: str) -> str:
    """A stage of the reverse funnel: ``demo`` → "Demos held" / "产品演示"."""
    return label_of(FUNNEL_STAGE_LABELS, code)
