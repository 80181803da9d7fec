"""Explanations in the reader's language: one message per code, rendered at the edge.

The planning core and the apps above it say why a number is what it is as data — a
``planning.Explanation(code, params)`` — and this package holds the one table that turns a
code into words (``messages``): ``MESSAGES`` maps each code to a gettext message with named
placeholders, ``TERMS`` the words of the fixed vocabularies a parameter may name (unit
kinds, funnel stages, metrics …). ``render`` writes them with numbers and money from
``pacesetter.presentation``, in the reader's separators; importing the package makes
``str()`` of every explanation — in a template, in a command's output — go through
``text_of`` in the active language.

Texts that are stored (a plan line's explanation, an award's note, a goal change's reason)
are stored in English (``english``), so that the CLI, exports and old rows stay as they
were; ``stored.read_stored`` recognises such a text by the English of the codes it may
come from and renders it again in the reader's language (``{{ text|explained }}`` in a
template). A stored text it does not recognise (a note someone typed) is shown as it is.

A bottom package beside ``presentation``: Django and ``pacesetter.planning`` only.
"""

from pacesetter.explanations.messages import MESSAGES, SEPARATORS, TERMS, Message, codes_of
from pacesetter.explanations.render import (
    english,
    explain_lazy,
    message_of,
    ordinal,
    show,
    term,
    text_of,
    with_terms,
)
from pacesetter.explanations.stored import (
    AWARD_DETAIL,
    AWARD_NOTE,
    CHANGE_REASON,
    GOAL_NOTE,
    MENTOR_FOCUS,
    NESTED,
    PARAM_PATTERNS,
    PLAN_LINE,
    STORED,
    parse,
    read_stored,
    stored,
)

__all__ = [
    "AWARD_DETAIL",
    "AWARD_NOTE",
    "CHANGE_REASON",
    "GOAL_NOTE",
    "MENTOR_FOCUS",
    "MESSAGES",
    "NESTED",
    "PARAM_PATTERNS",
    "PLAN_LINE",
    "SEPARATORS",
    "STORED",
    "TERMS",
    "Message",
    "codes_of",
    "english",
    "explain_lazy",
    "message_of",
    "ordinal",
    "parse",
    "read_stored",
    "show",
    "stored",
    "term",
    "text_of",
    "with_terms",
]
