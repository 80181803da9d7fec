"""Numbers as people read them, in English and in Chinese: grouped by thousands in both,
one minus sign (U+2212) everywhere, "—" for none; statuses and periods in the reader's
language. Machine output (CSV, JSON) stays plain."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pacesetter import planning, tabular
from pacesetter.conftest import PASSWORD
from pacesetter.goals.models import Plan
from pacesetter.presentation import (
    MINUS,
    NONE,
    STATUS_LABELS,
    compact_money,
    currency_symbol,
    metric_value,
    money,
    number,
    percent,
    period_kind_label,
    period_label,
    plain,
    separators,
    share,
    status_label,
)

LANGUAGES = ["en", "zh-hans"]
D = Decimal


@pytest.fixture(params=LANGUAGES)
def language(request):
    with translation.override(request.param):
        yield request.param


# --- money --------------------------------------------------------------------------------


def test_money_has_its_symbol_cents_and_thousands_in_both_languages(language):
    assert money(D("13150000")) == "$13,150,000.00"
    assert money(D("1234.5"), "€") == "€1,234.50"
    assert money(D("0.005")) == "$0.01"  # half up, as a customer rounds by hand
    assert money(D("999.999")) == "$1,000.00"
    assert money(12) == "$12.00"
    assert money(None) == NONE


def test_a_negative_amount_has_one_typographic_minus_before_the_symbol(language):
    assert money(D("-80")) == f"{MINUS}$80.00" == "\u2212$80.00"
    assert money(D("-1234567.891")) == "\u2212$1,234,567.89"
    assert "-" not in money(D("-80"))
    assert money(D("-0.004")) == "$0.00"  # rounds to nothing: no minus on a zero


def test_a_currency_without_a_symbol_is_written_by_its_code():
    assert currency_symbol("USD") == "$"
    assert currency_symbol("CNY") == "¥"
    assert money(D("1200"), currency_symbol("CHF")) == "CHF 1,200.00"


def test_compact_money_for_dense_tables(language):
    assert compact_money(D("950")) == "$950"
    assert compact_money(D("16420")) == "$16.4k"
    assert compact_money(D("164249")) == "$164k"
    assert compact_money(D("1350000")) == "$1.4M"
    assert compact_money(D("-12000")) == "\u2212$12.0k"
    assert compact_money(D("-0.3")) == "$0"
    assert compact_money(None) == NONE


# --- numbers and percentages --------------------------------------------------------------


def test_numbers_are_grouped_by_thousands_in_english_and_in_chinese(language):
    """Django's own Chinese format groups nothing; ``locale/zh_Hans/formats.py`` makes it
    13,150,000.00 as in English."""
    assert number(D("13150000"), 2) == "13,150,000.00"
    assert number(1234567) == "1,234,567"
    assert number(D("999.5"), 0) == "1,000"
    assert separators() == planning.Separators(",", ".", 3)


def test_a_number_has_as_many_decimals_as_asked_or_as_it_needs(language):
    assert number(D("0.500")) == "0.5"
    assert number(D("1E+1")) == "10"
    assert number(D("2.345"), 2) == "2.35"  # half up
    assert number(D("12.04"), 1, trim=True) == "12"
    assert number(D("12.54"), 1, trim=True) == "12.5"
    assert number(Fraction(1, 8)) == "0.125"
    assert number(None) == NONE


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (lambda: number(D("-1234.5"), 2), "\u22121,234.50"),
        (lambda: number(-5), "\u22125"),
        (lambda: plain(D("-3")), "\u22123"),
        (lambda: percent(D("-12.25")), "\u221212.3 %"),
        (lambda: share(D("-0.5"), 0), "\u221250 %"),
        (lambda: metric_value(D("-1500"), "money", "$"), "\u2212$1,500.00"),
        (lambda: metric_value(D("-2"), "count"), "\u22122"),
    ],
)
def test_every_negative_number_has_the_same_minus_sign(language, shown, expected):
    text = shown()
    assert text == expected
    assert "-" not in text


def test_plain_numbers_are_whole_or_to_two_places(language):
    assert plain(D("1234")) == "1,234"
    assert plain(D("3.00")) == "3"
    assert plain(D("2.5")) == "2.50"
    assert plain(None) == NONE


def test_percentages(language):
    assert percent(D("75")) == "75.0 %"
    assert percent(D("81.5"), 0) == "82 %"
    assert percent(D("1234.5")) == "1,234.5 %"
    assert percent(D("104.50"), None) == "104.5 %"
    assert share(D("0.125")) == "12.5 %"
    assert share(Fraction(1, 3), 2) == "33.33 %"
    assert percent(None) == share(None) == NONE


def test_a_metric_value_is_written_in_its_unit():
    with translation.override("en"):
        assert metric_value(D("12340"), "money", "$") == "$12,340.00"
        assert metric_value(D("21"), "count") == "21"
        assert metric_value(D("75"), "percent") == "75.0 %"
        assert metric_value(D("18"), "days") == "18 days"
        assert metric_value(D("1"), "days") == "1 day"
        assert metric_value(None, "money") == NONE
    with translation.override("zh-hans"):
        assert metric_value(D("1800"), "days") == "1,800 天"


# --- labels -------------------------------------------------------------------------------


def test_status_labels_are_translated():
    with translation.override("en"):
        assert [status_label(s) for s in STATUS_LABELS] == [
            "achieved",
            "on track",
            "at risk",
            "behind",
        ]
    with translation.override("zh-hans"):
        chinese = [status_label(s) for s in STATUS_LABELS]
    assert all(label and not label.isascii() for label in chinese), chinese
    assert status_label("paused") == "paused"  # a code without a label shows as it is


def test_period_kinds_are_translated_and_periods_are_named_alike_in_both_languages():
    with translation.override("en"):
        assert period_kind_label("quarter") == "Quarter"
    with translation.override("zh-hans"):
        assert not period_kind_label("quarter").isascii()
        assert period_kind_label("fortnight") == "fortnight"
    cal = planning.WorkCalendar()
    nov, dec = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
    assert period_label("month", nov, dec, cal) == "2026-11"
    assert period_label("quarter", dt.date(2026, 10, 1), dt.date(2027, 1, 1), cal) == "2026-Q4"
    assert period_label("week", dt.date(2026, 11, 16), dt.date(2026, 11, 23), cal) == "2026-W47"
    assert period_label("year", dt.date(2026, 1, 1), dt.date(2027, 1, 1), cal) == "2026"
    fiscal = planning.WorkCalendar(fiscal_year_start_month=7)
    assert period_label("year", dt.date(2026, 7, 1), dt.date(2027, 7, 1), fiscal) == "2027"
    assert period_label("day", dt.date(2026, 11, 18), dt.date(2026, 11, 19), cal) == "2026-11-18"


# --- templates, pages and machine output --------------------------------------------------


def test_templates_write_numbers_the_same_way(language):
    page = Template(
        "{% load pacesetter_numbers %}{{ a|number:2 }} | {{ b|percent:0 }} | {{ c|number:0 }}"
    ).render(Context({"a": D("-13150000"), "b": D("81.5"), "c": None}))
    assert page == "\u221213,150,000.00 | 82 % | —"
    assert floatformat(D("13150000"), "2g") == "13,150,000.00"


@pytest.mark.django_db
def test_the_plans_page_in_chinese_groups_the_annual_target(small_org):
    Plan.objects.create(
        name="FY27", version=1, metric="revenue_won", fiscal_year=2027, annual_target=13150000
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.login(username="olga", password=PASSWORD)
    with translation.override("en"):  # the middleware's Chinese does not outlive the test
        page = client.get(reverse("plan_list")).content.decode()
    assert "年度目标" in page
    assert "13,150,000.00" in page
    assert "13150000" not in page


def test_machine_output_stays_plain_and_parseable():
    rows = [{"amount": D("-13150000.00"), "count": 1234}]
    with translation.override("zh-hans"):
        csv_text = tabular.render(rows, "csv")
        json_text = tabular.render(rows, "json")
    assert csv_text.splitlines()[1] == "-13150000.00,1234"
    assert json.loads(json_text) == {"rows": [{"amount": "-13150000.00", "count": 1234}]}


def test_the_built_in_metrics_descriptions_are_the_catalogues_translated():
    """A description is translated while it is the catalogue's own; one an admin wrote stays."""
    from pacesetter.metrics.catalog import CATALOG
    from pacesetter.presentation import METRIC_DESCRIPTIONS, metric_description

    with translation.override("en"):
        english = {name: str(text) for name, text in METRIC_DESCRIPTIONS.items()}
    assert english == {m["name"]: m["description"] for m in CATALOG}
    with translation.override("zh-hans"):
        assert (
            metric_description("pd_events", english["pd_events"])
            == "参加的活动，每周通过表单或电子表格填报。"
        )
        assert metric_description("pd_events", "Our own words.") == "Our own words."
        assert metric_description("referrals", "Given.") == "Given."
