"""M1 cascade properties over random orgs: exact sums, no negatives, no quota before hire."""

import random
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pacesetter.planning import (
    Org,
    PlanLine,
    SplitRules,
    TrainingDrag,
    WorkCalendar,
    cascade,
    explicit,
    fiscal_year,
    to_cents,
)

from .support import PROPERTY, cents, mixed_weights, orgs

CAL = WorkCalendar()
YEAR = fiscal_year(2027, CAL)
drags = st.builds(
    TrainingDrag, st.sampled_from([Decimal(0), Decimal("0.1"), Decimal("0.2")]), st.integers(0, 3)
)
factors = st.sampled_from([Decimal(1), Decimal("1.05"), Decimal("1.1"), Decimal("1.25")])


def run(org: Org, annual: Decimal, weights: list[Decimal], drag: TrainingDrag, over: dict):
    rules = SplitRules(drag=drag, over_assignment=over)
    return cascade(annual, YEAR, CAL, explicit(weights), org, rules=rules)


def children_of(lines: list[PlanLine], org: Org, parent: PlanLine) -> list[PlanLine]:
    same_month = [line for line in lines if line.month == parent.month]
    if parent.level == "team":
        return [line for line in same_month if line.person_id and line.unit_id == parent.unit_id]
    child_ids = {unit.id for unit in org.children(parent.unit_id)}
    return [line for line in same_month if line.person_id is None and line.unit_id in child_ids]


@PROPERTY
@given(
    org=orgs(),
    annual=cents,
    weights=mixed_weights(),
    drag=drags,
    unit_factor=factors,
    person_factor=factors,
)
def test_every_level_adds_up_exactly_to_its_parent_month_times_its_factor(
    org: Org,
    annual: Decimal,
    weights: list[Decimal],
    drag: TrainingDrag,
    unit_factor: Decimal,
    person_factor: Decimal,
) -> None:
    over = {"unit": unit_factor, "team": unit_factor, "person": person_factor}
    lines = run(org, annual, weights, drag, over)

    company = [line for line in lines if line.level == "company"]
    assert len(company) == 12
    assert sum(line.target for line in company) == annual
    for parent in lines:
        if parent.level in ("person", "seat"):
            continue
        children = children_of(lines, org, parent)
        if not children:
            continue
        total = sum(child.target for child in children)
        if parent.level == "team":
            # A team's people share its quota pool: the team's target times the people's
            # factor, give or take the cents that make every team add up to the company's
            # month times the factor (next test); at most a cent per level of the tree.
            assert abs(total - to_cents(parent.target * person_factor)) <= Decimal("0.04")
        else:
            assert total == to_cents(parent.target * unit_factor)


@PROPERTY
@given(org=orgs(), annual=cents, weights=mixed_weights(), drag=drags, person_factor=factors)
def test_all_quotas_of_a_month_add_up_to_the_company_month_times_the_over_assignment(
    org: Org, annual: Decimal, weights: list[Decimal], drag: TrainingDrag, person_factor: Decimal
) -> None:
    lines = run(org, annual, weights, drag, {"person": person_factor})
    for company in (line for line in lines if line.level == "company"):
        people = [ln for ln in lines if ln.month == company.month and ln.person_id is not None]
        assert sum(ln.target for ln in people) == to_cents(company.target * person_factor)


@PROPERTY
@given(org=orgs(), annual=cents, weights=mixed_weights(), drag=drags)
def test_no_target_is_negative_and_nobody_gets_a_quota_before_hire_or_after_leaving(
    org: Org, annual: Decimal, weights: list[Decimal], drag: TrainingDrag
) -> None:
    lines = run(org, annual, weights, drag, {"person": Decimal("1.1")})
    members = {member.id: member for member in org.members}

    assert all(line.target >= 0 for line in lines)
    assert all(line.target.as_tuple().exponent == -2 for line in lines)
    for line in lines:
        if line.person_id is None:
            continue
        member = members[line.person_id]
        year, month = map(int, line.month.split("-"))
        first_day = date(year, month, 1)
        before_hire = (year, month) < (member.hire_date.year, member.hire_date.month)
        after_leaving = member.leave_date is not None and first_day > member.leave_date
        if before_hire or after_leaving:
            assert line.target == 0, line


@PROPERTY
@given(org=orgs(), annual=cents, weights=mixed_weights(), drag=drags, seed=st.integers())
def test_the_plan_does_not_depend_on_the_order_of_the_input_rows(
    org: Org, annual: Decimal, weights: list[Decimal], drag: TrainingDrag, seed: int
) -> None:
    shuffler = random.Random(seed)
    units, members = list(org.units), list(org.members)
    shuffler.shuffle(units)
    shuffler.shuffle(members)
    season = list(explicit(weights).items())
    shuffler.shuffle(season)
    over = {"person": Decimal("1.1")}

    rules = SplitRules(drag=drag, over_assignment=over)
    shuffled = cascade(annual, YEAR, CAL, dict(season), Org(units, members), rules=rules)

    assert shuffled == run(org, annual, weights, drag, over)
