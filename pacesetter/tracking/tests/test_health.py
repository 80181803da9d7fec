"""Team health: each unit's share of reps on pace, attainment against expected, the trend;
a region's row is the subtotal of its teams."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from pacesetter.goals.models import Goal
from pacesetter.tracking.health import RepPace, rep_paces, unit_health
from pacesetter.tracking.progress import goal_progress

from .conftest import TODAY


def test_a_region_counts_its_teams_and_each_row_has_its_trend(new_york):
    o = new_york
    team_of = {o.alice.pk: o.alpha.pk, o.bob.pk: o.alpha.pk, o.charlie.pk: o.beta.pk}
    now = {
        o.alice.pk: RepPace(True, Decimal(60), Decimal(50)),
        o.bob.pk: RepPace(False, Decimal(20), Decimal(50)),
        o.charlie.pk: RepPace(True, Decimal(55), Decimal(50)),
    }
    before = {o.alice.pk: RepPace(False, None, None), o.bob.pk: RepPace(False, None, None)}
    units = [o.region, o.alpha, o.beta]
    rows = unit_health(o.region, units, team_of, now, before)
    assert [(h.unit.name, h.depth, h.reps, h.on_pace, h.share) for h in rows] == [
        ("Americas", 0, 3, 2, Decimal(67)),
        ("Team Alpha", 1, 2, 1, Decimal(50)),
        ("Team Beta", 1, 1, 1, Decimal(100)),
    ]
    region, alpha, beta = rows
    assert (region.attainment, region.expected) == (Decimal("45.0"), Decimal("50.0"))
    assert (alpha.trend, alpha.direction) == (Decimal(50), "up")  # 0 % a week ago
    assert (beta.trend, beta.direction) == (None, "")  # Charlie had no goal a week ago


def test_a_rep_is_on_pace_when_every_top_goal_is_and_early_goals_wait(new_york, ledger):
    o = new_york
    ledger.activities(o.alice, "demo", dt.date(2026, 11, 5), 12)  # 12 of 21, 10 expected
    ledger.activities(o.bob, "demo", dt.date(2026, 11, 5), 3)  # 3 of 21: behind
    ledger.done()
    for person in (o.alice, o.bob):
        Goal.objects.create(metric="demos_held", person=person, period_kind="month",
                            period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 12, 1),
                            target=Decimal(21), priority=1)  # fmt: skip
    progress = goal_progress(Goal.objects.all(), TODAY)
    paces = rep_paces(progress, TODAY, top=3)
    assert paces[o.alice.pk].on_pace and not paces[o.bob.pk].on_pace
    assert paces[o.bob.pk].attainment == Decimal("14.3")
    assert paces[o.bob.pk].expected == Decimal("47.6")  # 10 of 21 expected by the 16th
    # With half the period as the wait for evidence, nobody is judged on the 16th.
    assert rep_paces(progress, TODAY, top=3, wait=Fraction(1, 2)) == {}
