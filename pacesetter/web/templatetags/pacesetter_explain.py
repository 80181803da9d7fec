"""``{{ text|explained }}``: a text Pacesetter stored in English, in the reader's language.

Plan lines, goal notes, the reasons of target changes and mentorships' focus are stored in
English (``pacesetter.explanations``); this filter recognises the ones Pacesetter wrote and
renders them again in the active language. Anything else — a note someone typed — is shown
as it is. The argument narrows the codes to those the text can come from.
"""

from __future__ import annotations

from django import template

from pacesetter import explanations

register = template.Library()

KINDS = {
    "plan": explanations.PLAN_LINE,
    "note": explanations.GOAL_NOTE,
    "change": explanations.CHANGE_REASON,
    "focus": explanations.MENTOR_FOCUS,
    "award": explanations.AWARD_NOTE,
}


@register.filter
def explained(text: str | None, kind: str = "") -> str:
    """``line.explanation|explained:"plan"`` → "$1,000.00 = 年度 …" in Chinese."""
    if not text:
        return ""
    return explanations.read_stored(str(text), KINDS.get(kind, explanations.STORED))
