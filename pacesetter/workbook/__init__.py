"""The sales-plan workbook: a plan as an Excel file to hand out, and its edits read back.

::

    from pacesetter.workbook import plan_workbook_bytes, plan_workbook_import

    data = plan_workbook_bytes(plan, unit_ids={alpha.pk})  # a team's quotas, activity plan,
                                                           # stretch tiers and incentives
    result = plan_workbook_import("edited.xlsx", by=user)
    if result.errors:
        ...  # sheet, row, column, value, reason; nothing was written
    elif result.plan:
        ...  # the new draft version, NAME@<newest + 1>

``layout`` says where every cell sits, ``contents`` reads a plan as the workbook shows it,
``export`` writes it, ``importing`` reads it back (``sheets``: the file's rows and cells) and
``draft`` saves the new version.
"""

from pacesetter.workbook.contents import PlanContents, plan_contents
from pacesetter.workbook.draft import QuotaChange
from pacesetter.workbook.export import (
    default_incentives,
    plan_workbook,
    plan_workbook_bytes,
    workbook_filename,
)
from pacesetter.workbook.importing import (
    WorkbookError,
    WorkbookImport,
    plan_workbook_import,
)
from pacesetter.workbook.sheets import parse_quota

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "XLSX_CONTENT_TYPE",
    "PlanContents",
    "QuotaChange",
    "WorkbookError",
    "WorkbookImport",
    "default_incentives",
    "parse_quota",
    "plan_contents",
    "plan_workbook",
    "plan_workbook_bytes",
    "plan_workbook_import",
    "workbook_filename",
]
