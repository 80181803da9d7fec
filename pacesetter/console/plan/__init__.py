"""The work behind ``pacesetter plan``, one function per action, each returning the ``Table``
the command prints: ``goals`` (reverse funnel, waterfall, stretch tiers) and ``versions``
(the annual cascade and stored plans); ``arguments`` reads the command's numbers and files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    """What an action prints, as ``pacesetter.tabular.render`` takes it; with an ``error``,
    the command fails with that message once the table is printed."""

    rows: list[dict[str, Any]]
    document: dict[str, Any] | None = None
    title: str = ""
    columns: list[str] | None = None
    error: str | None = None
