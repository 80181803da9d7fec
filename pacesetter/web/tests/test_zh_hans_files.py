"""What Pacesetter writes outside its pages, in Simplified Chinese: no English word left.

The crawl (``test_zh_hans_crawl.py``) reads every page; this reads the rest, on the same
org and with the same rules for what may stay as it is: the manager's digest e-mail (in
the manager's own language, ``Person.language``, which the language switcher stores), the
weekly numbers template and the sales-plan workbook a Chinese reader downloads — every cell,
sheet name, input prompt and printed footer — and both workbooks read back as they were
written in Chinese, with the same result as the English ones.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from pacesetter import planning
from pacesetter.goals.models import Plan
from pacesetter.ledger.importers import run_import
from pacesetter.ledger.models import ManualEntry
from pacesetter.org.models import Person
from pacesetter.org.selectors import work_calendar
from pacesetter.tracking.digest import build_digests, send_digests
from pacesetter.web.tests.test_zh_hans_crawl import (
    ALLOWED,
    CrawlOrg,
    check_html,
    english_words,
    make_crawl_org,
    zh_client,
)
from pacesetter.workbook import plan_workbook_bytes, plan_workbook_import


@pytest.fixture
def crawl_org(small_org) -> CrawlOrg:
    """The crawl's org (``test_zh_hans_crawl.make_crawl_org``)."""
    return make_crawl_org(small_org)


# Codes, not words: a plan workbook's rep keys (``person-12``, ``seat-3``: the Key column says
# who a row is) and a printed footer's fields (``&P``: the page's number).
CODES = re.compile(r"\b(?:person|seat)-\d+\b|&[A-Z]")


def _problems(parts: list[str], o: CrawlOrg, where: str, allowed: set[str] = ALLOWED) -> str:
    # Who exported a workbook is named by their login (``2026-11-18，由 olga 导出``).
    logins = {p.user.username for p in Person.objects.exclude(user=None).select_related("user")}
    found = english_words([CODES.sub(" ", p) for p in parts], o.names, allowed | logins)
    if not found:
        return ""
    texts = sorted({t for ts in found.values() for t in ts})[:12]
    return f"{where}: {', '.join(sorted(found))}\n" + "\n".join(f"    | {t}" for t in texts)


def workbook_texts(book: Workbook, skip: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Every text a reader of the workbook sees: sheet names, cells, input prompts and error
    messages, printed headers and footers (``skip``: (sheet, cell) of codes)."""
    parts: list[str] = []
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (sheet.title, cell.coordinate) not in skip:
                    parts.append(cell.value)
        for rule in sheet.data_validations.dataValidation:
            parts += [t for t in (rule.promptTitle, rule.prompt, rule.errorTitle, rule.error) if t]
        for part in (sheet.oddHeader.left, sheet.oddFooter.center, sheet.oddFooter.right):
            parts.append(part.text or "")
    return [p for p in parts if p.strip()]


# --- the digest ------------------------------------------------------------------------------


def test_the_language_switcher_remembers_a_users_language(crawl_org):
    client = zh_client("alice")
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert Person.objects.get(pk=crawl_org.people["alice"].pk).language == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert Person.objects.get(pk=crawl_org.people["alice"].pk).language == "en"
    # Someone not logged in switches too; there is nobody to remember it for.
    anonymous = zh_client(None)
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_each_manager_reads_the_digest_in_their_own_language(crawl_org):
    o = crawl_org
    Person.objects.filter(pk=o.people["manager"].pk).update(language="zh-hans")
    Person.objects.filter(pk=o.people["regional_manager"].pk).update(language="")
    digests = build_digests(o.today)
    with translation.override("en"):  # whatever the sender's language, each in the reader's
        assert send_digests(digests) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    chinese = by_recipient[o.people["manager"].email]
    html = chinese.alternatives[0][0]
    problems = [
        _problems([chinese.subject], o, "digest subject"),
        _problems([line for line in chinese.body.splitlines() if line.strip()], o, "digest"),
        check_html(html, "digest (HTML)", o.names, ALLOWED),
    ]
    assert not [p for p in problems if p], "\n".join(problems)
    assert "需要沟通" in chinese.subject and "您好" in chinese.body
    assert '<html lang="zh-hans">' in html
    english = by_recipient[o.people["regional_manager"].email]
    assert english.subject.startswith("Pacesetter — ")
    assert "conversation" in english.subject and "Hello Rhea" in english.body
    assert '<html lang="en">' in english.alternatives[0][0]


# --- the weekly numbers template -------------------------------------------------------------


def test_the_weekly_template_is_in_chinese_and_reads_back(crawl_org, tmp_path):
    o = crawl_org
    week = planning.week_of(o.today, work_calendar())
    client = zh_client("mia")
    url = reverse("weekly_template") + f"?team={o.units['alpha'].pk}&week={week.start}"
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    problem = _problems(workbook_texts(book), o, "weekly template")
    assert not problem, problem
    assert book.sheetnames == ["每周数据", "填写说明"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["人员", "电子邮箱", "指标", "指标名称", "周", "日期",
                                           "值", "说明"]  # fmt: skip
    # Filled in and read back: the Chinese header is the entries format too.
    bob = o.people["bob"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == bob.email and row[2].value == "pd_events":
            row[6].value = 3
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    with translation.override("zh-hans"):
        report = run_import("entries", filled)
    assert report.committed and not report.errors, report.errors
    entries = ManualEntry.objects.filter(person=bob, metric="pd_events", source="sheet")
    assert sum(e.value for e in entries) == 3 * len(planning.week_parts(week))


# --- the sales-plan workbook -----------------------------------------------------------------


def _edited(data: bytes, quota: Decimal) -> io.BytesIO:
    """The workbook with the first rep's first quota of the first team sheet changed."""
    book = load_workbook(io.BytesIO(data))
    team_sheet = book.worksheets[1]
    team_sheet.cell(row=6, column=4).value = quota
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "edited.xlsx"
    return out


def test_the_plan_workbook_is_in_chinese_and_imports_like_the_english_one(crawl_org):
    o = crawl_org
    plan = o.plans[1]
    client = zh_client("olga")
    response = client.get(reverse("plan_workbook", args=[plan.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    overview = book.worksheets[0].title
    problem = _problems(workbook_texts(book, skip={(overview, "D3")}), o, "plan workbook")
    assert not problem, problem
    assert book.sheetnames[0] == "计划" and "活动计划" in book.sheetnames
    assert book.worksheets[1]["A3"].value == "计划编号"
    # The same edit, exported in Chinese and in English, imported in either language.
    with translation.override("en"):
        english = plan_workbook_bytes(plan)
    results = []
    for data, language in ((response.content, "en"), (english, "zh-hans"),
                           (response.content, "zh-hans")):  # fmt: skip
        with translation.override(language):
            result = plan_workbook_import(_edited(data, Decimal("12345.67")), dry_run=True)
        assert result.ok, [e.as_dict() for e in result.errors]
        results.append([(c.team, c.key, c.month, c.new) for c in result.changes])
    assert results[0] == results[1] == results[2] and len(results[0]) == 1
    with translation.override("zh-hans"):
        saved = plan_workbook_import(_edited(response.content, Decimal("12345.67")))
        assert "已保存为新草稿" in saved.summary()
    assert saved.plan is not None and Plan.objects.filter(pk=saved.plan.pk).exists()


def test_a_plan_workbooks_problems_are_told_in_the_readers_language(crawl_org):
    o = crawl_org
    plan = o.plans[1]
    with translation.override("zh-hans"):
        data = plan_workbook_bytes(plan)
    book = load_workbook(io.BytesIO(data))
    team_sheet = book.worksheets[1]
    team_sheet.cell(row=5, column=1).value = "钥匙"  # a locked header retyped
    team_sheet.cell(row=6, column=5).value = "很多"  # a quota that is not a number
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    client = zh_client("olga")
    out.name = "edited.xlsx"
    response = client.post(reverse("plan_workbook_upload", args=[plan.pk]), {"file": out})
    assert response.status_code == 400
    html = response.content.decode()
    problem = check_html(html, "plan workbook upload", o.names, ALLOWED)
    assert not problem, problem
    assert "锁定的单元格被修改" in html
