"""Shared hypothesis settings, generators and helpers for the planning tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pacesetter.planning import Member, Org, Rep, Seat, Unit

# No example database: the tests must not write outside the planning package.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

cents = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))
keys = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
weights = st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def members(draw: st.DrawFn, member_id: str, team_id: str) -> Member:
    """A rep with a random hire and maybe a leave date, or a seat starting some month."""
    hired = draw(st.dates(min_value=date(2025, 6, 1), max_value=date(2028, 6, 30)))
    leave = draw(st.none() | st.integers(min_value=0, max_value=700))
    leave_date = None if leave is None else hired + timedelta(days=leave)
    if draw(st.booleans()):
        return Rep(member_id, team_id, hired, leave_date)
    return Seat(member_id, team_id, hired.replace(day=1), leave_date)


@st.composite
def orgs(draw: st.DrawFn) -> Org:
    """A company, 0-2 regions, 1-4 teams, 0-4 random members per team, plus one veteran.

    The veteran (hired 2020, never leaves) keeps every month's company capacity above zero,
    so the cascade always has somebody to give each month's money to.
    """
    units = [Unit("co", "Company", None, "company")]
    regions = [f"r{i}" for i in range(draw(st.integers(0, 2)))]
    units += [Unit(r, f"Region {r}", "co", "region") for r in regions]
    team_parents = draw(st.lists(st.sampled_from(["co", *regions]), min_size=1, max_size=4))
    teams = [Unit(f"t{i}", f"Team {i}", parent, "team") for i, parent in enumerate(team_parents)]
    units += teams
    people: list[Member] = [Rep("veteran", "t0", date(2020, 1, 6))]
    for team in teams:
        for index in range(draw(st.integers(0, 4))):
            people.append(draw(members(f"{team.id}-m{index}", team.id)))
    return Org(units, people)


def mixed_weights() -> st.SearchStrategy[list[Decimal]]:
    """Twelve non-negative monthly weights, not all zero."""
    return st.lists(weights, min_size=12, max_size=12).filter(any)


def ascii_signs(explanation: object) -> str:
    """Explanations print typographic times and minus signs; tests spell them x and -."""
    return str(explanation).replace("\u00d7", "x").replace("\u2212", "-")


def said(verdict: tuple[bool, object]) -> tuple[bool, str]:
    """A stretch verdict as the English reader sees it: (eligible, the reason in words)."""
    return verdict[0], str(verdict[1])
