"""Accounts: customers, with the dates they were acquired and churned."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pacesetter.ledger.importers.kinds.base import Cells, RowParser, external_id
from pacesetter.ledger.importers.parsing import segment, text
from pacesetter.ledger.importers.tables import AccountTable, Staged


class AccountParser(RowParser):
    table = AccountTable
    OPTIONAL = {"segment": "segment", "owner_id": "owner", "acquired_on": "acquired",
                "churned_on": "churned"}  # fmt: skip

    def has(self, table_field: str) -> bool:
        column = self.OPTIONAL.get(table_field)
        return column is None or self.columns.has(column)

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        key = cells.get("external_id", external_id, required=True)
        name = cells.get("name", lambda v: text(v, 200), required=True)
        seg = cells.get("segment", segment) or ""
        owner = cells.get("owner", c.people.require)
        acquired = cells.get("acquired", c.dates.date)
        churned = cells.get("churned", c.dates.date)
        if churned is not None and acquired is None and not cells.values.get("acquired"):
            cells.fail("churned", _("a churned customer needs an acquired date"))
        elif churned is not None and acquired is not None and churned < acquired:
            cells.fail(
                "churned",
                _("churned before it was acquired (%(day)s)") % {"day": acquired.isoformat()},
            )
        cells.check()
        return Staged(cells.row, key, (name, seg, owner, acquired, churned))  # type: ignore[arg-type]
