"""M1 cascade worked by hand: a small company, two teams, a September hire.

The org, used by every test here:

    Acme (company, annual target $1,140,000, flat seasonality → $95,000 a month)
    ├── East: alice, bob (veterans) and erin, hired Wednesday 1 September 2027
    └── West: carol, dan (veterans)

Default ramp (erin: Sep 0, Oct 0.25, Nov 0.5, Dec 0.75), training drag of 10 % for two
months on erin's existing teammates (alice and bob: 0.9 in Sep and Oct), and people's quotas
over-assigned to 110 % of their team's month.
"""

from datetime import date
from decimal import Decimal

import pytest

from pacesetter.planning import (
    Org,
    PlanLine,
    Rep,
    Seat,
    SplitRules,
    TrainingDrag,
    Unit,
    WorkCalendar,
    cascade,
    fiscal_year,
    flat,
    monthly_targets,
    re_plan,
    to_cents,
)

from .support import ascii_signs

CAL = WorkCalendar()
YEAR = fiscal_year(2027, CAL)
UNITS = [
    Unit("acme", "Acme", None, "company"),
    Unit("east", "East", "acme", "team"),
    Unit("west", "West", "acme", "team"),
]
PEOPLE = [
    Rep("alice", "east", date(2020, 1, 6)),
    Rep("bob", "east", date(2021, 3, 1)),
    Rep("erin", "east", date(2027, 9, 1)),
    Rep("carol", "west", date(2019, 5, 1)),
    Rep("dan", "west", date(2022, 2, 1)),
]
ORG = Org(UNITS, PEOPLE)
DRAG = TrainingDrag(Decimal("0.10"), 2)
PEOPLE_AT_110 = {"person": Decimal("1.10")}


def plan(
    org: Org = ORG,
    over_assignment: dict[str, Decimal] = PEOPLE_AT_110,
    **options: object,
) -> list[PlanLine]:
    rules = SplitRules(drag=DRAG, over_assignment=over_assignment)
    annual = Decimal("1140000")
    return cascade(annual, YEAR, CAL, flat(), org, rules=rules, **options)  # type: ignore[arg-type]


def line(lines: list[PlanLine], month: str, who: str) -> PlanLine:
    """The line of a person, or of a unit (``who`` is then a unit id), in ``month``."""
    return next(
        item
        for item in lines
        if item.month == month
        and (item.person_id == who or (item.person_id is None and item.unit_id == who))
    )


def target(lines: list[PlanLine], month: str, who: str) -> Decimal:
    return line(lines, month, who).target


def test_a_flat_year_gives_the_company_95_000_dollars_every_month() -> None:
    lines = plan()

    company = monthly_targets(lines, "company", "acme")
    assert set(company.values()) == {Decimal("95000.00")}
    assert sum(company.values()) == Decimal("1140000")
    assert ascii_signs(line(lines, "2027-01", "acme").explanation) == (
        "$95,000.00 = annual $1,140,000.00 x Jan weight 8.33 %"
    )


def test_january_two_full_teams_split_evenly_and_people_carry_110_percent() -> None:
    lines = plan()

    # Capacity: East 1 + 1 (erin not hired yet) = 2, West 1 + 1 = 2, company 4.
    # East = West = 95,000 * 2/4 = 47,500.
    assert target(lines, "2027-01", "east") == Decimal("47500.00")
    assert target(lines, "2027-01", "west") == Decimal("47500.00")
    # People: 47,500 * 110 % = 52,250, halved = 26,125 each; erin has nothing yet.
    assert target(lines, "2027-01", "alice") == Decimal("26125.00")
    assert target(lines, "2027-01", "dan") == Decimal("26125.00")
    assert target(lines, "2027-01", "erin") == Decimal("0.00")
    assert str(line(lines, "2027-01", "erin").explanation) == "$0.00: no capacity (not started yet)"


def test_september_the_training_drag_moves_money_from_east_to_west() -> None:
    lines = plan()

    # Capacity: alice and bob 1 - 10 % drag = 0.9 each, erin ramp month 1 = 0, so East 1.8;
    # West 2; company 3.8. East = 95,000 * 1.8/3.8 = 45,000; West = 95,000 * 2/3.8 = 50,000.
    assert target(lines, "2027-09", "east") == Decimal("45000.00")
    assert target(lines, "2027-09", "west") == Decimal("50000.00")
    # East people: 45,000 * 110 % = 49,500 split 0.9 : 0.9 : 0 → 24,750, 24,750, 0.
    assert target(lines, "2027-09", "alice") == Decimal("24750.00")
    assert target(lines, "2027-09", "bob") == Decimal("24750.00")
    assert target(lines, "2027-09", "erin") == Decimal("0.00")
    # West people: 50,000 * 110 % = 55,000 halved.
    assert target(lines, "2027-09", "carol") == Decimal("27500.00")

    alice = str(line(lines, "2027-09", "alice").explanation)
    assert ascii_signs(alice) == (
        "$24,750.00 = team East Sep $45,000.00 x 110 % x share 50.00 % "
        "(capacity 0.90; training drag -10 %)"
    )
    assert "\u00d7 110 %" in alice  # users see a real multiplication sign
    east = line(lines, "2027-09", "east").explanation
    assert ascii_signs(east) == (
        "$45,000.00 = company Acme Sep $95,000.00 x share 47.37 % (capacity 1.80 of 3.80)"
    )
    assert "ramp month 1 (0.00)" in str(line(lines, "2027-09", "erin").explanation)


def test_november_erin_at_half_capacity_and_the_spare_cent_goes_to_alice() -> None:
    lines = plan()

    # Drag is over; erin is in ramp month 3 = 0.5. East 2.5, West 2, company 4.5.
    # East = 95,000 * 2.5/4.5 = 52,777.777… → 52,777.78; West 42,222.22 (sum 95,000.00).
    assert target(lines, "2027-11", "east") == Decimal("52777.78")
    assert target(lines, "2027-11", "west") == Decimal("42222.22")
    # East people: 52,777.78 * 110 % = 58,055.558 → 58,055.56, split 1 : 1 : 0.5:
    # alice and bob 23,222.224 each, erin 11,611.112. Rounded down that is one cent short;
    # alice and bob lost the same 0.4 of a cent, and "alice" sorts first, so she gets it.
    assert target(lines, "2027-11", "alice") == Decimal("23222.23")
    assert target(lines, "2027-11", "bob") == Decimal("23222.22")
    assert target(lines, "2027-11", "erin") == Decimal("11611.11")
    erin = line(lines, "2027-11", "erin").explanation
    assert ascii_signs(erin) == (
        "$11,611.11 = team East Nov $52,777.78 x 110 % x share 20.00 % "
        "(capacity 0.50; ramp month 3 (0.50))"
    )


def test_every_month_every_team_adds_up_to_its_company_and_people_to_110_percent() -> None:
    lines = plan()

    for month in [f"2027-{m:02d}" for m in range(1, 13)]:
        teams = [i for i in lines if i.month == month and i.level == "team"]
        assert sum(t.target for t in teams) == Decimal("95000.00")
        for team in teams:
            people = [i for i in lines if i.month == month and i.unit_id == team.unit_id]
            people = [p for p in people if p.level == "person"]
            assert sum(p.target for p in people) == to_cents(team.target * Decimal("1.1"))


def test_a_planned_seat_carries_a_ramped_quota_and_drags_its_teammates() -> None:
    seat = Seat("west-seat-1", "west", date(2027, 10, 1))
    lines = plan(Org(UNITS, [*PEOPLE, seat]))

    october = line(lines, "2027-10", "west-seat-1")
    assert (october.level, october.target) == ("seat", Decimal("0.00"))
    assert target(lines, "2027-12", "west-seat-1") > 0
    assert "training drag -10 %" in ascii_signs(line(lines, "2027-10", "carol").explanation)


def test_a_team_month_override_is_kept_and_the_other_team_takes_the_rest() -> None:
    lines = plan(overrides={("team", "east", "2027-01"): Decimal("60000")})

    assert target(lines, "2027-01", "east") == Decimal("60000.00")
    assert target(lines, "2027-01", "west") == Decimal("35000.00")
    # East's people still split East's (overridden) month * 110 %: 66,000 / 2.
    assert target(lines, "2027-01", "alice") == Decimal("33000.00")
    assert str(line(lines, "2027-01", "east").explanation) == "$60,000.00 set by override"
    assert "overrides $60,000.00" in str(line(lines, "2027-01", "west").explanation)


def test_a_year_override_for_a_person_is_spread_over_the_months_she_can_sell() -> None:
    lines = plan(overrides={("person", "alice"): Decimal("300000")})

    alice = monthly_targets(lines, "person", "east", "alice")
    assert sum(alice.values()) == Decimal("300000.00")
    # Her capacity is 0.9 in Sep and Oct and 1 otherwise, so those months weigh 0.9.
    assert alice["2027-01"] == alice["2027-02"] > alice["2027-09"]
    for month, amount in alice.items():
        team = [i for i in lines if i.month == month and i.unit_id == "east" and i.person_id]
        assert team[0].target == amount
        assert sum(i.target for i in team) == to_cents(
            target(lines, month, "east") * Decimal("1.1")
        )


def test_company_months_can_be_overridden_but_not_the_company_year() -> None:
    lines = plan(overrides={("company", "acme", "2027-12"): Decimal("40000")})
    company = monthly_targets(lines, "company", "acme")

    assert company["2027-12"] == Decimal("40000.00")
    assert company["2027-01"] == Decimal("100000.00")  # (1,140,000 - 40,000) / 11
    with pytest.raises(ValueError, match="override its months"):
        plan(overrides={("company", "acme"): Decimal("1")})


def test_overrides_larger_than_their_parents_month_are_refused() -> None:
    with pytest.raises(ValueError, match=r"2027-03 company Acme: overrides add up to 100000\.00"):
        plan(overrides={("team", "east", "2027-03"): Decimal("100000")})


def test_overrides_must_name_a_node_of_the_right_level_in_the_plan_year() -> None:
    with pytest.raises(ValueError, match="there is no team 'alice'"):
        plan(overrides={("team", "alice", "2027-03"): Decimal("1")})
    with pytest.raises(ValueError, match="month 2026-03 is not in the plan year"):
        plan(overrides={("team", "east", "2026-03"): Decimal("1")})


def test_a_month_with_a_target_but_nobody_to_sell_is_refused_with_a_clear_reason() -> None:
    only_newcomers = Org(UNITS, [Seat("s1", "east", date(2027, 3, 1))])

    with pytest.raises(ValueError, match=r"2027-01 company Acme: .* nobody below has capacity"):
        plan(only_newcomers)


def test_a_negative_annual_target_is_refused() -> None:
    with pytest.raises(ValueError, match="annual target must not be negative"):
        cascade(Decimal("-1"), YEAR, CAL, flat(), ORG)


def test_over_assignment_applies_only_to_known_levels_and_positive_factors() -> None:
    with pytest.raises(ValueError, match="not 'company'"):
        plan(over_assignment={"company": Decimal("1.1")})
    with pytest.raises(ValueError, match="more than 0"):
        plan(over_assignment={"team": Decimal("0")})


def test_an_org_needs_one_company_known_parents_and_unique_ids() -> None:
    with pytest.raises(ValueError, match="exactly one company"):
        Org(UNITS[1:], [])
    with pytest.raises(ValueError, match="parent 'nowhere' does not exist"):
        Org([*UNITS, Unit("x", "X", "nowhere", "team")], [])
    with pytest.raises(ValueError, match="'alice' is used twice"):
        Org(UNITS, [*PEOPLE, Rep("alice", "west", date(2020, 1, 1))])
    with pytest.raises(ValueError, match="is not a team unit"):
        Org(UNITS, [Rep("zed", "acme", date(2020, 1, 1))])


# --- re-planning mid-year -----------------------------------------------------------------

MONTHS = [f"2027-{m:02d}" for m in range(1, 13)]


def test_a_shortfall_is_spread_over_the_remaining_months_and_the_year_still_adds_up() -> None:
    # Plan 100 a month. January sold 50 and February 80: 1,200 - 130 = 1,070 is left for the
    # ten remaining months, 107 each.
    original = dict.fromkeys(MONTHS, Decimal("100"))
    actuals = {"2027-01": Decimal("50"), "2027-02": Decimal("80")}

    new = re_plan(original, actuals, Decimal("1200"), MONTHS[2:])

    assert set(new.values()) == {Decimal("107.00")}
    assert sum(new.values()) + sum(actuals.values()) == Decimal("1200")


def test_re_planning_keeps_the_seasonal_shape_of_the_remaining_months() -> None:
    # The remaining months were planned 100, 200 and 300: 1,200 left keeps the 1:2:3 shape.
    original = {"2027-10": Decimal("100"), "2027-11": Decimal("200"), "2027-12": Decimal("300")}

    new = re_plan(original, {"2027-09": Decimal("5")}, Decimal("1205"), list(original))

    assert new == {
        "2027-10": Decimal("200.00"),
        "2027-11": Decimal("400.00"),
        "2027-12": Decimal("600.00"),
    }


def test_re_planning_reads_company_lines_and_gives_zeros_once_the_year_is_already_won() -> None:
    lines = plan()
    actuals = {month: Decimal("200000") for month in MONTHS[:6]}

    new = re_plan(lines, actuals, Decimal("1140000"), MONTHS[6:])

    assert set(new.values()) == {Decimal("0.00")}


def test_re_planning_an_unknown_month_is_refused() -> None:
    with pytest.raises(ValueError, match="no original target"):
        re_plan({"2027-01": Decimal(1)}, {}, Decimal(1), ["2027-02"])
