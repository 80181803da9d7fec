"""A metric's ``filters`` are read in one place (``metrics/filters.py``): the engine, the
history realism learns from and the burn-up chart count the same rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pacesetter.metrics.engine import Window, person_values
from pacesetter.metrics.filters import MONTH, TWO_WEEKS, MetricFilters, filters_of
from pacesetter.metrics.models import Metric
from pacesetter.tracking.realism import _daily_rows
from pacesetter.web.burnup import daily_series

from .conftest import NEW_YORK, at


def a_metric(name: str, source: str, aggregation: str, filters: object) -> Metric:
    return Metric(
        name=name, label=name, source=source, aggregation=aggregation, filters=filters,
        direction="higher", unit="count",
    )  # fmt: skip


# --- reading the filters ------------------------------------------------------------------


def test_no_filters_are_the_defaults():
    for given in ({}, None):
        f = filters_of(a_metric("calls", "activities", "count", given))
        assert f == MetricFilters(entry_metric="calls")
        assert (f.status, f.recent_months, f.window) == ("won", 6, MONTH)
        assert f.activities() == {}
        assert f.deals() == {"status": "won"}
        assert f.deals(by_status=False) == {}
        assert f.entries() == {"metric": "calls"}


def test_a_kind_and_a_segment_select_activities():
    f = filters_of(
        a_metric("ent", "activities", "count", {"kind": "demo", "segment": "enterprise"})
    )
    assert f.activities() == {"kind__in": ["demo"], "segment": "enterprise"}
    several = filters_of(a_metric("touches", "activities", "count", {"kind": ["call", "email"]}))
    assert several.activities() == {"kind__in": ["call", "email"]}
    every = filters_of(a_metric("all", "activities", "count", {"kind": []}))
    assert every.activities() == {}


def test_a_status_and_a_segment_select_deals():
    f = filters_of(a_metric("lost", "deals", "count", {"status": "lost", "segment": "smb"}))
    assert f.deals() == {"status": "lost", "segment": "smb"}
    assert f.deals(by_status=False) == {"segment": "smb"}  # a ratio counts won and lost


def test_entries_are_read_under_the_metric_named():
    f = filters_of(a_metric("events", "entries", "sum", {"metric": "pd_events"}))
    assert f.entries() == {"metric": "pd_events"}


def test_coverage_reads_its_recent_months_and_window():
    f = filters_of(a_metric("cov", "accounts", "coverage", {"recent_months": "3"}))
    assert (f.recent_months, f.window) == (3, MONTH)
    two = filters_of(a_metric("cov", "accounts", "coverage", {"window": "two_weeks"}))
    assert two.window == TWO_WEEKS
    # Any window but a month has always meant two weeks.
    assert filters_of(a_metric("cov", "accounts", "coverage", {"window": "week"})).window == (
        TWO_WEEKS
    )


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"kind": 7}, "metric odd: kind must be a kind or a list of kinds"),
        ({"kind": ["call", 7]}, "metric odd: kind must be a kind or a list of kinds"),
        ({"recent_months": "six"}, "metric odd: recent_months must be a whole number"),
        (["demo"], "metric odd: filters must be an object"),
    ],
)
def test_filters_of_the_wrong_shape_name_the_metric(filters, message):
    with pytest.raises(ValueError, match=message):
        filters_of(a_metric("odd", "activities", "count", filters))


# --- the three readers agree --------------------------------------------------------------

NOV = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
WEEK = (dt.date(2026, 11, 9), dt.date(2026, 11, 16))


@pytest.fixture
def books(new_york, ledger):
    alice = new_york.alice
    ledger.activities(alice, "demo", dt.date(2026, 11, 3), 2, segment="enterprise")
    ledger.activities(alice, "demo", dt.date(2026, 11, 10), 3, segment="enterprise")
    ledger.activities(alice, "demo", dt.date(2026, 11, 11), 4, segment="smb")
    ledger.activities(alice, "call", dt.date(2026, 11, 12), 5)
    ledger.activities(alice, "email", dt.date(2026, 11, 20), 6)
    ledger.activity(alice, "demo", at(dt.date(2026, 10, 31), 23, 30), segment="enterprise")
    created = dt.date(2026, 9, 1)
    ledger.deal(alice, "1000", "won", created, dt.date(2026, 11, 10), segment="enterprise")
    ledger.deal(alice, "2000", "won", created, dt.date(2026, 11, 18), segment="smb")
    ledger.deal(alice, "4000", "lost", created, dt.date(2026, 11, 12), segment="enterprise")
    ledger.deal(alice, "8000", "lost", created, dt.date(2026, 11, 25), segment="smb")
    ledger.entry(alice, "pd_events", dt.date(2026, 11, 9), "2")
    ledger.entry(alice, "pd_events", dt.date(2026, 11, 23), "1")
    ledger.done()
    return alice


METRICS = [
    (a_metric("enterprise_demos", "activities", "count",
              {"kind": "demo", "segment": "enterprise"}), 5, 3),
    (a_metric("touches", "activities", "count", {"kind": ["call", "email"]}), 11, 5),
    (a_metric("lost_enterprise", "deals", "count",
              {"status": "lost", "segment": "enterprise"}), 1, 1),
    (a_metric("won_revenue", "deals", "sum", {}), 3000, 1000),
    (a_metric("lost_smb_value", "deals", "sum", {"status": "lost", "segment": "smb"}), 8000, 0),
    (a_metric("events", "entries", "sum", {"metric": "pd_events"}), 3, 2),
]  # fmt: skip


@pytest.mark.parametrize(("metric", "november", "week"), METRICS, ids=lambda m: str(m))
def test_the_engine_realism_and_the_burn_up_count_the_same_rows(books, metric, november, week):
    """The whole month (read from the rollups where there are some) and a week (read from
    the ledger), each by the engine, by realism's daily history and by the burn-up."""
    alice = books.pk
    for (start, end), expected in ((NOV, november), (WEEK, week)):
        engine = person_values(metric, Window(start, end), [alice], zone=NEW_YORK)[alice]
        monthly = start.day == 1 and end.day == 1
        rows = _daily_rows(metric, start, end, {alice}, NEW_YORK, monthly)
        history = sum((Decimal(v or 0) for _, _, v in rows), Decimal(0))
        burn_up = sum(daily_series(metric, alice, start, end, NEW_YORK).values(), Decimal(0))
        assert engine == history == burn_up == expected, (start, end)
