"""``pacesetter period list|reopen|close``: the goals of an ended period are frozen (no
plan activation, edit, waterfall or workbook changes them); an admin re-opens a period,
with the reason, to change them, and closes it again.

pacesetter period list
pacesetter period reopen 2026-08 --reason "a deal booked in the wrong month" --by olga
pacesetter period close 3 --by olga
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pacesetter import planning
from pacesetter.console.arguments import admin_named
from pacesetter.goals.errors import GoalError
from pacesetter.goals.models import PeriodReopening
from pacesetter.goals.periods import period_close, period_reopen
from pacesetter.org.models import OrgSettings
from pacesetter.org.selectors import work_calendar
from pacesetter.tabular import FORMATS, render


class Command(BaseCommand):
    help = "Closed periods: list the re-opened ones, re-open one (with a reason), close it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("list", help="periods re-opened, and whether they still are")
        p.add_argument("--format", choices=FORMATS, default="table")
        p = sub.add_parser("reopen", help="re-open an ended period so its goals may change")
        p.add_argument("period", help="2026-08, 2026-Q3, 2026-W33 …")
        p.add_argument("--reason", required=True, help="why (kept with the reopening)")
        p.add_argument("--by", metavar="LOGIN", required=True, help="the admin re-opening it")
        p = sub.add_parser("close", help="freeze a re-opened period again")
        p.add_argument("id", type=int, help="the reopening's id (see `period list`)")
        p.add_argument("--by", metavar="LOGIN", required=True, help="the admin closing it")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "list":
                self._list(options["format"])
            elif action == "reopen":
                period = planning.parse_period(options["period"], work_calendar())
                by = admin_named(options["by"])
                period_reopen(period=period, reason=options["reason"], by=by)
                self.stdout.write(f"{period.label} is re-opened: its goals may change.")
            else:
                reopening = PeriodReopening.objects.filter(pk=options["id"]).first()
                if reopening is None:
                    raise CommandError(f"no reopening with id {options['id']}")
                period_close(reopening=reopening, by=admin_named(options["by"]))
                self.stdout.write("The period is closed again: its goals are frozen.")
        except (GoalError, ValueError) as error:
            raise CommandError(str(error)) from None

    def _list(self, fmt: str) -> None:
        zone = OrgSettings.load().zone

        def when(moment: Any) -> str | None:
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else None

        rows = [
            {
                "id": r.pk,
                "from": r.period_start,
                "to": r.period_end,
                "reason": r.reason,
                "by": r.reopened_by.get_username() if r.reopened_by else None,
                "at": when(r.reopened_at),
                "closed_at": when(r.closed_at),
            }
            for r in PeriodReopening.objects.select_related("reopened_by")
        ]
        columns = ["id", "from", "to", "reason", "by", "at", "closed_at"]
        document = {"reopenings": rows}
        self.stdout.write(render(rows, fmt, columns=columns, document=document))
