"""An edited workbook may not change the quota of a month that has ended (the suite's today
is 18 November 2026): the cell is reported and nothing is imported, unless an admin has
re-opened the month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.goals.errors import PeriodClosed
from pacesetter.goals.models import Plan
from pacesetter.goals.periods import period_reopen
from pacesetter.workbook import plan_workbook_import
from pacesetter.workbook.draft import QuotaChange, plan_draft_save
from pacesetter.workbook.tests.test_workbook import ALICE, exported, make_plan, saved

AUGUST, NOVEMBER = 11, 14  # the columns of August and November 2026 (January is D)
AS_OF = dt.date(2025, 12, 1)


def test_a_changed_quota_of_an_ended_month_is_refused_by_cell(small_org, tmp_path):
    source = make_plan(name="FY26", year=2026, as_of=AS_OF)
    book = exported(source, today=dt.date(2026, 11, 18))
    book["Team Alpha"].cell(ALICE, AUGUST).value = 50000
    book["Team Alpha"].cell(ALICE, NOVEMBER).value = 50000

    result = plan_workbook_import(saved(book, tmp_path))

    assert result.plan is None and Plan.objects.count() == 1
    (error,) = result.errors
    assert (error.sheet, error.row, error.column) == ("Team Alpha", ALICE, "K (2026-08)")
    assert "2026-08 has ended, so its quotas are frozen" in error.reason

    period_reopen(
        period=planning.month_period(2026, 8), reason="territory moved", by=small_org.admin.user
    )
    again = plan_workbook_import(saved(book, tmp_path, "again.xlsx"))
    assert again.errors == [] and again.plan is not None
    assert {f"{c.month:%Y-%m}" for c in again.changes} == {"2026-08", "2026-11"}


def test_the_draft_itself_refuses_a_closed_month(small_org):
    source = make_plan(name="FY26", year=2026, as_of=AS_OF)
    change = QuotaChange("Team Alpha", small_org.alpha.pk, f"person-{small_org.alice.pk}",
                         "Alice Adams", dt.date(2026, 8, 1), Decimal(1), Decimal(2))  # fmt: skip
    with pytest.raises(PeriodClosed):
        plan_draft_save(source, [change], by=None, file="x.xlsx", digest="d")
    assert Plan.objects.count() == 1
