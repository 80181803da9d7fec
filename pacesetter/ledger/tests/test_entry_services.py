"""A week's numbers typed in (``ledger/services.entries_save_week``), called directly: one row
per person, metric and part of a week, replaced when corrected, all or nothing, and the rest
of Pacesetter told which months moved once the transaction commits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter import planning
from pacesetter.ledger.models import ManualEntry
from pacesetter.ledger.selectors import entries_of_week
from pacesetter.ledger.services import WeekEntry, entries_save_week
from pacesetter.ledger.signals import ledger_changed

CAL = planning.WorkCalendar()  # weeks start on Monday
WEEK = planning.week_of(dt.date(2026, 11, 18), CAL)  # Mon 16 – Sun 22 November 2026
STRADDLING = planning.week_of(dt.date(2026, 12, 1), CAL)  # Mon 30 November – Sun 6 December


@pytest.fixture
def heard():
    """The months each ``ledger_changed`` named."""
    found: list = []

    def listen(sender, months, **kwargs):
        found.append(months)

    ledger_changed.connect(listen)
    yield found
    ledger_changed.disconnect(listen)


def test_a_weeks_number_is_one_row_and_the_month_is_told_on_commit(
    small_org, heard, django_capture_on_commit_callbacks
):
    alice, user = small_org.alice, small_org.alice.user

    with django_capture_on_commit_callbacks(execute=True):
        changed = entries_save_week(
            person=alice,
            week=WEEK,
            values=[WeekEntry("pd_events", WEEK.start, Decimal(2))],
            by=user,
        )

    assert changed == [WeekEntry("pd_events", WEEK.start, Decimal(2))]
    row = ManualEntry.objects.get()
    assert (row.person, row.metric, row.first_day, row.value) == (
        alice,
        "pd_events",
        WEEK.start,
        Decimal("2.00"),
    )
    assert (row.source, row.external_id, row.entered_by) == (
        "web",
        f"web:{alice.pk}:pd_events:{WEEK.start.isoformat()}",
        user,
    )
    assert heard == [[dt.date(2026, 11, 1)]]


def test_entering_it_again_replaces_it_and_the_same_number_changes_nothing(
    small_org, heard, django_capture_on_commit_callbacks
):
    alice = small_org.alice
    entries_save_week(person=alice, week=WEEK, values=[WeekEntry("pd_events", WEEK.start, 1)])

    with django_capture_on_commit_callbacks(execute=True):
        same = entries_save_week(
            person=alice, week=WEEK, values=[WeekEntry("pd_events", WEEK.start, Decimal(1))]
        )
    assert same == [] and heard == []  # nothing moved: nobody is told

    entries_save_week(
        person=alice, week=WEEK, values=[WeekEntry("pd_events", WEEK.start, Decimal(3))]
    )
    assert entries_of_week(alice, WEEK) == {("pd_events", WEEK.start): Decimal("3.00")}


def test_a_week_across_two_months_is_saved_in_its_two_parts(
    small_org, heard, django_capture_on_commit_callbacks
):
    (november, _), (december, _) = planning.week_parts(STRADDLING)
    values = [
        WeekEntry("pd_events", november, Decimal(1)),
        WeekEntry("pd_events", december, Decimal(2)),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        entries_save_week(person=small_org.alice, week=STRADDLING, values=values)

    assert entries_of_week(small_org.alice, STRADDLING) == {
        ("pd_events", november): Decimal("1.00"),
        ("pd_events", december): Decimal("2.00"),
    }
    assert heard == [[dt.date(2026, 11, 1), dt.date(2026, 12, 1)]]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (WeekEntry("pd_events", WEEK.start, Decimal(-1)), "must not be negative"),
        (WeekEntry("pd_events", WEEK.start + dt.timedelta(days=2), 1), "does not start a part"),
        (WeekEntry("", WEEK.start, Decimal(1)), "needs its metric"),
    ],
)
def test_one_bad_number_leaves_nothing_written(
    small_org, heard, django_capture_on_commit_callbacks, bad, message
):
    """All or nothing: the good numbers before the bad one are not kept, and nobody is told."""
    alice = small_org.alice
    good = [
        WeekEntry("pd_events", WEEK.start, Decimal(4)),
        WeekEntry("calls_logged", WEEK.start, Decimal(5)),
    ]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError, match=message):
        entries_save_week(person=alice, week=WEEK, values=[*good, bad])

    assert not ManualEntry.objects.exists()
    assert heard == []
