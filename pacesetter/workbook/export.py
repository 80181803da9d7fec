"""Writing a plan as the sales-plan workbook a manager prints, hands out, edits and uploads.

Sheets, in order:

* **Plan** — the header band (plan, version, status, fiscal year), the workbook key, and
  every unit's target by month in tree order;
* **one sheet per team** — each rep's monthly quota (the yellow cells are the ones to edit),
  the reps' total and the team's target;
* **Activity plan** — per rep and month, the deals, demos and calls the quota takes (M4,
  from the rep's conversion rates blended with the team's, or rates given);
* **Stretch tiers** — the tier above each monthly quota (M7, 125 % by default);
* **Incentives** — the reward programs and their rules.

Numbers are written as numbers (money to the cent, totals exact sums of what is shown),
text from people as text that no spreadsheet runs as a formula, and every sheet is set up
to print: landscape, one page wide, the header band repeated on every page. The words are in
the language active when the workbook is made (``layout``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from pacesetter import planning
from pacesetter.explanations import message_of, term, text_of
from pacesetter.goals import funnel_history
from pacesetter.goals.models import Plan, PlanLine
from pacesetter.ledger.selectors import FunnelCounts, funnel_counts
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import today_in_org
from pacesetter.planning.calendar import add_months
from pacesetter.planning.explain import Explanation
from pacesetter.planning.stretch import DEFAULT_STRETCH_PERCENT
from pacesetter.presentation import METRIC_LABELS, number, share
from pacesetter.rewards.selectors import program_rows
from pacesetter.workbook import layout as L
from pacesetter.workbook.contents import ZERO, PlanContents, RepRow, TeamRows, plan_contents

# A stage of the funnel by what is counted at it: the metric's name ("Deals won", "成交数").
STAGE_LABELS = {"deal": "deals_won", "demo": "demos_held", "call": "calls_made"}
HISTORY_MONTHS = 6


@dataclass(frozen=True)
class RepFunnel:
    """The rates and deal size a rep's activity plan is computed with, or why there are none."""

    rates: tuple[planning.Conversion, ...]
    deal_size: Decimal | None
    source: str

    @property
    def usable(self) -> bool:
        return bool(self.rates) and self.deal_size is not None


def default_incentives(plan: Plan, team_ids: Sequence[int] | None = None) -> list[dict[str, str]]:
    """The reward programs of the plan's fiscal year that reach the teams (company-wide ones
    and those of the teams or a unit above them), from the rewards app."""
    return [dict(row) for row in program_rows(fiscal_year=plan.fiscal_year, unit_ids=team_ids)]


def workbook_key(plan: Plan, team_ids: Sequence[int]) -> str:
    """A signed key of the plan and teams exported: the import trusts the plan id only
    when it matches, so a retyped plan id cannot point edits at another plan."""
    payload = {"v": L.FORMAT_VERSION, "plan": plan.pk, "teams": list(team_ids)}
    return signing.dumps(payload, salt=L.SIGNING_SALT, compress=True)


def plan_workbook(
    plan: Plan,
    *,
    unit_ids: Collection[int] | None = None,
    incentives: Sequence[Mapping[str, str]] | None = None,
    stretch_percent: Decimal = DEFAULT_STRETCH_PERCENT,
    rates: Sequence[str] = (),
    deal_size: Decimal | None = None,
    today: dt.date | None = None,
    exported_by: str = "",
) -> Workbook:
    """The workbook of ``plan`` for the units in ``unit_ids`` (None: every unit).

    ``incentives`` are rows with the keys of ``layout.INCENTIVE_COLUMNS`` (default: the
    rewards app's programs). ``rates`` (``"demo:deal=0.5"`` …, from the deal upward) and
    ``deal_size`` replace the history-based funnel. ValueError when no team is included.
    """
    contents = plan_contents(plan, unit_ids)
    if not contents.teams:
        raise ValueError(
            _("plan %(plan)s has no team quotas in the units asked for") % {"plan": plan.label}
        )
    org = OrgSettings.load()
    today = today or today_in_org()
    funnels = rep_funnels(contents, today=today, rates=rates, deal_size=deal_size, zone=org.zone)
    exported = (
        _("%(day)s by %(user)s") % {"day": today.isoformat(), "user": exported_by}
        if exported_by
        else today.isoformat()
    )
    band = _Band(plan, contents, org.currency, exported)
    book = Workbook()
    book.properties.title = _("Sales plan %(plan)s") % {"plan": plan.label}
    book.properties.creator = "Pacesetter"
    taken = {
        str(t).lower()
        for t in (L.OVERVIEW_SHEET, L.ACTIVITY_SHEET, L.STRETCH_SHEET, L.INCENTIVES_SHEET)
    }
    overview = book.active
    assert isinstance(overview, Worksheet)  # a new workbook opens on its one worksheet
    overview.title = str(L.OVERVIEW_SHEET)
    key = workbook_key(plan, [team.unit.pk for team in contents.teams])
    _write_overview(overview, band, key)
    for team in contents.teams:
        sheet = book.create_sheet(L.sheet_title(team.unit.name, taken))
        _write_team(sheet, band, team)
    _write_activity(book.create_sheet(str(L.ACTIVITY_SHEET)), band, funnels)
    _write_stretch(book.create_sheet(str(L.STRETCH_SHEET)), band, stretch_percent)
    team_ids = [team.unit.pk for team in contents.teams]
    rows = default_incentives(plan, team_ids) if incentives is None else incentives
    _write_incentives(book.create_sheet(str(L.INCENTIVES_SHEET)), band, rows)
    for sheet in book.worksheets:
        _print_setup(sheet, plan)
    return book


def plan_workbook_bytes(plan: Plan, **options: Any) -> bytes:
    """``plan_workbook`` saved as XLSX bytes, for a download or a file."""
    buffer = io.BytesIO()
    plan_workbook(plan, **options).save(buffer)
    return buffer.getvalue()


def workbook_filename(plan: Plan, team_name: str | None = None) -> str:
    """``plan-fy27-v2.xlsx``, or ``plan-fy27-v2-team-alpha.xlsx`` for one team."""
    parts = [f"plan-{_slug(plan.name)}-v{plan.version}"]
    if team_name:
        parts.append(_slug(team_name))
    return "-".join(parts) + ".xlsx"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "plan"


# --- the activity plan's funnel -------------------------------------------------------


def rep_funnels(
    contents: PlanContents,
    *,
    today: dt.date,
    rates: Sequence[str] = (),
    deal_size: Decimal | None = None,
    zone: dt.tzinfo,
    months: int = HISTORY_MONTHS,
) -> dict[tuple[int, str], RepFunnel]:
    """Per (team id, rep key): the rep's own rates and deal size over the last ``months``
    whole months blended with their team's (as ``plan funnel --person`` does), or the
    ``rates`` given. Two queries for all the reps of every team together."""
    end = dt.date(today.year, today.month, 1)
    start = add_months(end, -months)
    person_ids = [r.person_id for t in contents.teams for r in t.reps if r.person_id]
    counts = funnel_counts(person_ids, start, end, zone) if person_ids else {}
    given = tuple(rates)
    funnels: dict[tuple[int, str], RepFunnel] = {}
    for team in contents.teams:
        together = FunnelCounts({}, 0, ZERO)
        for rep in team.reps:
            if rep.person_id:
                together = together + counts[rep.person_id]
        team_history = funnel_history._history(together)  # the same reading as plan funnel
        complete = len(team_history.rates) == len(funnel_history.STAGES)
        for rep in team.reps:
            own_counts = counts.get(rep.person_id) if rep.person_id else None
            own = (
                funnel_history._history(own_counts)
                if own_counts
                else planning.FunnelHistory((), None, 0)
            )
            funnels[(team.unit.pk, rep.key)] = _rep_funnel(
                own, team_history, complete, given, deal_size, team.unit.name, months
            )
    return funnels


def _rep_funnel(
    own: planning.FunnelHistory,
    team: planning.FunnelHistory,
    complete: bool,
    given: tuple[str, ...],
    deal_size: Decimal | None,
    team_name: str,
    months: int,
) -> RepFunnel:
    if given:
        team = planning.FunnelHistory(given, deal_size or team.deal_size, 0)
        own = planning.FunnelHistory(given, deal_size or own.deal_size, own.n_observations)
    elif not complete or team.deal_size is None:
        reason = _("not enough history in %(team)s over the last %(months)s months")
        return RepFunnel((), None, reason % {"team": team_name, "months": months})
    if team.deal_size is None:
        return RepFunnel((), None, _("no deal size: give one with the rates"))
    try:
        blended = planning.blend(own, team, funnel_history.FULL_CREDIBILITY_DEALS)
    except ValueError as error:
        return RepFunnel((), None, message_of(error))
    size = deal_size or blended.deal_size
    source = text_of(Explanation("funnel.rates_given") if given else blended.explanation)
    return RepFunnel(blended.rates, size, source)


# --- sheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Band:
    """What every sheet's header band says."""

    plan: Plan
    contents: PlanContents
    currency: str
    exported: str

    @property
    def months(self) -> list[dt.date]:
        return self.contents.months

    def fiscal_year(self) -> str:
        if not self.months:
            return str(self.plan.fiscal_year)
        return _("%(year)s (%(first)s to %(last)s)") % {
            "year": self.plan.fiscal_year,
            "first": f"{self.months[0]:%Y-%m}",
            "last": f"{self.months[-1]:%Y-%m}",
        }


def _write_band(sheet: Worksheet, band: _Band, title: str, note: str, last_column: int) -> None:
    L.write_text(sheet, L.TITLE_ROW, 1, title).font = L.TITLE_FONT
    sheet.row_dimensions[L.TITLE_ROW].height = 24
    info: list[tuple[str, str | int]] = [
        (str(L.OVERVIEW_SHEET), band.plan.name),
        (_("Version"), band.plan.version),
        (_("Status"), str(band.plan.get_status_display())),
        (_("Fiscal year"), band.fiscal_year()),
        (_("Currency"), band.currency),
        (_("Exported"), band.exported),
    ]
    column = 1
    for label, value in info:
        sheet.cell(row=L.INFO_ROW, column=column, value=label).font = L.LABEL_FONT
        if isinstance(value, int):
            sheet.cell(row=L.INFO_ROW, column=column + 1, value=value)
        else:
            L.write_text(sheet, L.INFO_ROW, column + 1, value)
        column += 2
    sheet.cell(row=L.KEY_ROW, column=1, value=str(L.PLAN_ID_LABEL)).font = L.LABEL_FONT
    sheet.cell(row=L.KEY_ROW, column=2, value=band.plan.pk).alignment = Alignment(horizontal="left")
    note_cell = L.write_text(sheet, L.NOTE_ROW, 1, note)
    note_cell.alignment = Alignment(wrap_text=True, vertical="top")
    note_cell.font = Font(italic=True, color="44546A")
    sheet.merge_cells(start_row=L.NOTE_ROW, start_column=1, end_row=L.NOTE_ROW,
                      end_column=last_column)  # fmt: skip
    sheet.row_dimensions[L.NOTE_ROW].height = 32
    for row in range(L.TITLE_ROW, L.NOTE_ROW + 1):
        for col in range(1, last_column + 1):
            sheet.cell(row=row, column=col).fill = L.BAND_FILL


def _month_header(sheet: Worksheet, months: list[dt.date], first_column: int) -> int:
    """Month columns from ``first_column`` and the Year column after them; returns its index."""
    for i, month in enumerate(months):
        L.write_month(sheet, L.HEADER_ROW, first_column + i, month)
        sheet.column_dimensions[get_column_letter(first_column + i)].width = 12.5
    year_column = first_column + len(months)
    sheet.cell(row=L.HEADER_ROW, column=year_column, value=str(L.YEAR_HEADER))
    sheet.column_dimensions[get_column_letter(year_column)].width = 15
    return year_column


def _money_row(
    sheet: Worksheet,
    row: int,
    months: list[dt.date],
    values: Mapping[dt.date, Decimal],
    first_column: int,
    *,
    edit: bool = False,
) -> None:
    """A month's amount per column and their exact sum in the Year column."""
    for i, month in enumerate(months):
        cell = L.write_number(sheet, row, first_column + i, values.get(month, ZERO), L.MONEY_FORMAT)
        if edit:
            L.editable(cell)
    total = sum((values.get(m, ZERO) for m in months), ZERO)
    L.write_number(sheet, row, first_column + len(months), total, L.MONEY_FORMAT).font = Font(
        bold=True
    )


def _write_overview(sheet: Worksheet, band: _Band, key: str) -> None:
    months = band.months
    last = L.FIRST_MONTH_COLUMN + len(months)
    note = _(
        "Each team's sheet lists its reps' monthly quotas: edit the yellow cells, then upload "
        "the workbook on the plan's page (or run: %(command)s). It becomes a new draft "
        "version of the plan; this version stays as it is. Totals and team targets are "
        "recomputed from the quotas. Amounts in %(currency)s."
    ) % {"command": "pacesetter plan import-workbook FILE", "currency": band.currency}
    title = _("Sales plan %(plan)s") % {"plan": band.plan.label}
    _write_band(sheet, band, title, note, last)
    sheet.cell(row=L.KEY_ROW, column=3, value=str(L.WORKBOOK_KEY_LABEL)).font = L.LABEL_FONT
    L.write_text(sheet, L.KEY_ROW, 4, key).font = L.KEY_FONT
    for column, title in enumerate((_("Level"), _("Unit"), _("Part of")), start=1):
        sheet.cell(row=L.HEADER_ROW, column=column, value=title)
    _month_header(sheet, months, L.FIRST_MONTH_COLUMN)
    L.style_header_row(sheet, L.HEADER_ROW, last)
    row = L.HEADER_ROW
    for unit_row in band.contents.units:
        row += 1
        sheet.cell(row=row, column=1, value=str(PlanLine.Level(unit_row.level).label))
        name = L.write_text(sheet, row, 2, unit_row.unit.name)
        name.alignment = Alignment(indent=unit_row.depth * 2)
        if unit_row.depth == 0:
            name.font = Font(bold=True)
        L.write_text(sheet, row, 3, unit_row.parent.name if unit_row.parent else "")
        _money_row(sheet, row, months, unit_row.months, L.FIRST_MONTH_COLUMN)
    _column_widths(sheet, {"A": 12, "B": 30, "C": 22})
    sheet.freeze_panes = sheet.cell(row=L.FIRST_ROW, column=L.FIRST_MONTH_COLUMN).coordinate


def _write_team(sheet: Worksheet, band: _Band, team: TeamRows) -> None:
    months = band.months
    last = L.FIRST_MONTH_COLUMN + len(months)
    note = _(
        "Edit the yellow cells: each rep's quota for the month (a number of 0 or more). "
        "Do not change the grey key, name or e-mail cells, the months or the totals: "
        "the reps' total and the team target are recomputed when the workbook is uploaded."
    )
    title = _("%(plan)s · %(team)s · monthly quotas")
    _write_band(sheet, band, title % {"plan": band.plan.label, "team": team.unit.name}, note, last)
    sheet.cell(row=L.KEY_ROW, column=3, value=str(L.TEAM_ID_LABEL)).font = L.LABEL_FONT
    sheet.cell(row=L.KEY_ROW, column=4, value=team.unit.pk).alignment = Alignment(horizontal="left")
    sheet.cell(row=L.KEY_ROW, column=5, value=str(L.TEAM_LABEL)).font = L.LABEL_FONT
    L.write_text(sheet, L.KEY_ROW, 6, team.unit.name)
    for column, header in enumerate((L.KEY_HEADER, L.REP_HEADER, L.EMAIL_HEADER), start=1):
        sheet.cell(row=L.HEADER_ROW, column=column, value=str(header))
    _month_header(sheet, months, L.FIRST_MONTH_COLUMN)
    L.style_header_row(sheet, L.HEADER_ROW, last)
    row = L.HEADER_ROW
    for rep in team.reps:
        row += 1
        L.write_text(sheet, row, 1, rep.key).font = L.KEY_FONT
        L.write_text(sheet, row, 2, rep.name)
        L.write_text(sheet, row, 3, rep.email)
        _money_row(sheet, row, months, rep.months, L.FIRST_MONTH_COLUMN, edit=True)
    if team.reps:
        rule = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=False,
            showErrorMessage=True,
            errorTitle=_("A quota of 0 or more"),
            error=_("Enter the month's quota: a number of 0 or more, to the cent."),
        )
        sheet.add_data_validation(rule)
        first = get_column_letter(L.FIRST_MONTH_COLUMN)
        last_month = get_column_letter(last - 1)
        rule.add(f"{first}{L.FIRST_ROW}:{last_month}{row}")
    computed = []
    if team.removed:
        computed.append((L.REMOVED_KEY, _("Planned hires removed since"), "", team.removed))
    over = band.plan.inputs.get("over_assign", "1")
    factor_note = (
        ""
        if Decimal(over) == 1
        else _("quotas add up to %(percent)s %%") % {"percent": number(Decimal(over) * 100)}
    )
    computed.append((L.TOTAL_KEY, _("Reps' quotas"), "", team.total(months)))
    computed.append((L.TEAM_KEY, _("Team target"), factor_note, team.target))
    for key, label, detail, values in computed:
        row += 1
        L.write_text(sheet, row, 1, str(L.COMPUTED_LABELS[key]))
        L.write_text(sheet, row, 2, label)
        L.write_text(sheet, row, 3, detail)
        _money_row(sheet, row, months, values, L.FIRST_MONTH_COLUMN)
        L.style_total_row(sheet, row, last)
    _column_widths(sheet, {"A": 11, "B": 28, "C": 30})
    sheet.freeze_panes = sheet.cell(row=L.FIRST_ROW, column=L.FIRST_MONTH_COLUMN).coordinate


def _write_activity(
    sheet: Worksheet, band: _Band, funnels: Mapping[tuple[int, str], RepFunnel]
) -> None:
    months = band.months
    year_column = L.FIRST_MONTH_COLUMN + len(months)
    last = year_column + 3
    note = _(
        "What each rep's monthly quota takes (reverse funnel, M4): deals = quota ÷ average "
        "deal, then each stage above ÷ its conversion rate, rounded up at every stage so the "
        "plan never falls short. Rates: the rep's own last %(months)s months blended with the "
        "team's, unless rates were given."
    ) % {"months": HISTORY_MONTHS}
    _write_band(sheet, band, _("%(plan)s · activity plan") % {"plan": band.plan.label}, note, last)
    for column, title in enumerate((str(L.TEAM_LABEL), str(L.REP_HEADER), _("Activity")), 1):
        sheet.cell(row=L.HEADER_ROW, column=column, value=title)
    _month_header(sheet, months, L.FIRST_MONTH_COLUMN)
    for offset, title in enumerate((_("Deal size"), _("Conversion rates"), _("Rates from")), 1):
        sheet.cell(row=L.HEADER_ROW, column=year_column + offset, value=title)
    L.style_header_row(sheet, L.HEADER_ROW, last)
    row = L.HEADER_ROW
    for team in band.contents.teams:
        for rep in team.reps:
            funnel = funnels[(team.unit.pk, rep.key)]
            row += 1
            _activity_label(sheet, row, team, rep, _("Quota"))
            _money_row(sheet, row, months, rep.months, L.FIRST_MONTH_COLUMN)
            L.style_total_row(sheet, row, last)
            if funnel.deal_size is not None:
                L.write_number(sheet, row, year_column + 1, funnel.deal_size, L.MONEY_FORMAT)
            rates = ", ".join(
                f"{term('stage', c.from_stage)}→{term('stage', c.to_stage)} {share(c.rate, None)}"
                for c in funnel.rates
            )
            L.write_text(sheet, row, year_column + 2, rates)
            L.write_text(sheet, row, year_column + 3, funnel.source)
            deal_size = funnel.deal_size
            if not funnel.usable or deal_size is None:
                continue
            needed = {
                month: planning.reverse_funnel(rep.months.get(month, ZERO), deal_size,
                                               funnel.rates).needed
                for month in months
            }  # fmt: skip
            for stage in needed[months[0]]:
                row += 1
                _activity_label(sheet, row, team, rep, _stage_label(stage))
                for i, month in enumerate(months):
                    L.write_number(sheet, row, L.FIRST_MONTH_COLUMN + i, needed[month][stage],
                                   L.COUNT_FORMAT)  # fmt: skip
                year = sum(needed[m][stage] for m in months)
                L.write_number(sheet, row, year_column, year, L.COUNT_FORMAT).font = Font(bold=True)
    _column_widths(sheet, {"A": 18, "B": 26, "C": 12})
    for offset, width in ((1, 12), (2, 30), (3, 44)):
        sheet.column_dimensions[get_column_letter(year_column + offset)].width = width
    sheet.freeze_panes = sheet.cell(row=L.FIRST_ROW, column=L.FIRST_MONTH_COLUMN).coordinate


def _stage_label(stage: str) -> str:
    """What is counted at a stage of the funnel: "Deals won", "Demos held" …"""
    label = METRIC_LABELS.get(STAGE_LABELS.get(stage, ""))
    return stage if label is None else str(label)


def _activity_label(sheet: Worksheet, row: int, team: TeamRows, rep: RepRow, what: str) -> None:
    L.write_text(sheet, row, 1, team.unit.name)
    L.write_text(sheet, row, 2, rep.name)
    L.write_text(sheet, row, 3, what)


def _write_stretch(sheet: Worksheet, band: _Band, percent: Decimal) -> None:
    months = band.months
    last = L.FIRST_MONTH_COLUMN + len(months)
    shown = number(Decimal(percent))
    note = _(
        "A stretch tier is %(percent)s %% of the monthly quota (M7), tracked and rewarded "
        "separately. It is offered only to reps who met 100 %% of their quota in each of the "
        "last 3 months, never to a rep under quota (%(command)s)."
    ) % {"percent": shown, "command": "pacesetter plan stretch --month"}
    title = _("%(plan)s · stretch tiers at %(percent)s %%")
    _write_band(sheet, band, title % {"plan": band.plan.label, "percent": shown}, note, last)
    for column, header in enumerate((str(L.TEAM_LABEL), str(L.REP_HEADER), _("Tier")), 1):
        sheet.cell(row=L.HEADER_ROW, column=column, value=header)
    _month_header(sheet, months, L.FIRST_MONTH_COLUMN)
    L.style_header_row(sheet, L.HEADER_ROW, last)
    row = L.HEADER_ROW
    for team in band.contents.teams:
        for rep in team.reps:
            tiers = {m: planning.stretch_target(v, percent) for m, v in rep.months.items()}
            stretch = _("Stretch %(percent)s %%") % {"percent": shown}
            for what, values in ((_("Quota"), rep.months), (stretch, tiers)):
                row += 1
                L.write_text(sheet, row, 1, team.unit.name)
                L.write_text(sheet, row, 2, rep.name)
                L.write_text(sheet, row, 3, what)
                _money_row(sheet, row, months, values, L.FIRST_MONTH_COLUMN)
    _column_widths(sheet, {"A": 18, "B": 26, "C": 14})
    sheet.freeze_panes = sheet.cell(row=L.FIRST_ROW, column=L.FIRST_MONTH_COLUMN).coordinate


def _write_incentives(sheet: Worksheet, band: _Band, rows: Sequence[Mapping[str, str]]) -> None:
    columns = L.INCENTIVE_COLUMNS
    note = _(
        "The rewards attached to the goals (M5): cash or not (a round of golf, recognition, "
        "a day off), on reaching a weekly or monthly goal, a stretch tier, a competition, or "
        "together as a team (M9)."
    )
    title = _("%(plan)s · incentives and rules") % {"plan": band.plan.label}
    _write_band(sheet, band, title, note, 2 * 6)
    for column, name in enumerate(columns, start=1):
        sheet.cell(row=L.HEADER_ROW, column=column, value=str(L.INCENTIVE_HEADERS[name]))
    L.style_header_row(sheet, L.HEADER_ROW, len(columns))
    row = L.HEADER_ROW
    for item in rows:
        row += 1
        for column, name in enumerate(columns, start=1):
            text = str(item.get(name) or "")
            number = L.money_number(text) if name in L.NUMERIC_INCENTIVE_COLUMNS else None
            if number is not None:
                L.write_number(sheet, row, column, number, L.MONEY_FORMAT)
            else:
                L.write_text(sheet, row, column, text).alignment = Alignment(wrap_text=True)
    if not rows:
        L.write_text(sheet, row + 1, 1, _("No incentive programs yet.")).font = Font(italic=True)
    widths = {"A": 26, "B": 34, "C": 22, "D": 22, "E": 12, "F": 12, "G": 14}
    _column_widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=L.FIRST_ROW, column=1).coordinate


def _column_widths(sheet: Worksheet, widths: Mapping[str, float]) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def _print_setup(sheet: Worksheet, plan: Plan) -> None:
    """Landscape, one page wide, the band and header repeated on every printed page; the
    sheet protected (without a password: against accidents, not people) so that only the
    yellow cells take input."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    fitting = sheet.sheet_properties.pageSetUpPr
    assert fitting is not None  # a new sheet's properties come with their page setup
    fitting.fitToPage = True
    sheet.print_title_rows = L.PRINT_TITLE_ROWS
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3,
                                     footer=0.3)  # fmt: skip
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None  # a new sheet has both, empty
    header.left.text = L.header_footer_text(f"{plan.label} · {sheet.title}")
    # Translators: a printed page's footer; &P is the page's number, &N the number of pages.
    footer.center.text = _("Page &P of &N")
    footer.right.text = "Pacesetter"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may still widen a column to read it
    sheet.protection.formatRows = False
