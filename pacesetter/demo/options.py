"""What a demo build is asked for (``DemoOptions``) and what it made (``DemoResult``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoOptions:
    reps: int = 60
    months: int = 18
    seed: int = 7
    as_of: dt.date | None = None  # history runs up to the day before; default: today
    batch_size: int = 50_000


@dataclass
class DemoResult:
    units: int = 0
    people: int = 0
    reps: int = 0
    accounts: int = 0
    activities: int = 0
    deals: int = 0
    manual_entries: int = 0
    plan: str = ""
    example_goals: int = 0
    team_goals: int = 0  # collective goals and competitions (M9, G9)
    awards: int = 0  # rewards earned in the program's months so far (M5)
    mentorships: int = 0  # new reps paired with a mentor, with development goals (M8)
    logins: dict[str, str] = field(default_factory=dict)
