"""Template filters that show stored codes in the reader's language."""

from __future__ import annotations

from django import template

from pacesetter.web.labels import ROLE_LABELS, metric_label

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """``rep`` → "rep" / "销售代表"."""
    return str(ROLE_LABELS.get(code, code))


@register.filter
def metric_name(name: str) -> str:
    """``demos_held`` → "Demos held" / "产品演示"."""
    return metric_label(name)
