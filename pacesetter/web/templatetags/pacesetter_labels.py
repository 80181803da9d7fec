"""Template filters that show stored codes in the reader's language."""

from __future__ import annotations

import datetime as dt

from django import template

from pacesetter.web.labels import ROLE_LABELS, metric_label, part_label

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
