"""Activities: calls, e-mails and meetings that were done."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pacesetter.ledger.importers.kinds.base import Cells, Context, RowParser, external_id, needs
from pacesetter.ledger.importers.kinds.fields import ColumnMap, missing_column
from pacesetter.ledger.importers.parsing import GENERIC, IGNORE, done, segment, text
from pacesetter.ledger.importers.report import ImportFileError, RowError, shown
from pacesetter.ledger.importers.tables import ActivityTable, Staged


class ActivityParser(RowParser):
    """Activities: a row counts when it was done; its kind comes from the first of its type
    columns that names one (Salesforce's Type, then TaskSubtype …), else from the subject
    ("Email: …"), the kind of export (a calls export), or the import's default type."""

    table = ActivityTable

    def __init__(self, context: Context, columns: ColumnMap) -> None:
        super().__init__(context, columns)
        needs(columns, "person", context, "default_owner")
        self.implied = context.activity_type
        if not columns.has("type") and self.implied is None:
            looked = _("%(first)s or %(second)s") % {"first": "'Type'", "second": "'Activity type'"}
            reason = missing_column("type", looked, columns.header, context.hints)
            reason = _("%(reason)s or give every row one type") % {"reason": reason}
            raise ImportFileError(RowError(1, "", "", reason))

    def has(self, table_field: str) -> bool:
        if table_field == "account_id":
            return self.columns.has("account")
        if table_field == "segment":
            return self.columns.has("segment") or self.columns.has("account")
        return True

    def _kind(self, cells: Cells) -> str | None:
        kinds = self.context.kinds
        assert kinds is not None
        generic = None
        for column, value in self.columns.every("type", cells.cells or []):
            found = kinds.known(value)
            if found is None:
                if generic is None:
                    generic = ("unknown", column, value)
                continue
            if found == GENERIC:
                generic = generic or ("generic", column, value)
                continue
            return found
        subject = cells.values.get("subject")
        if subject:
            found = kinds.from_subject(subject)
            if found:
                return found
        if self.implied:
            return self.implied
        if generic is None:
            return None
        what, column, value = generic
        if what == "unknown":
            cells.errors.append(RowError(cells.row, column, shown(value), kinds.unknown(value)))
            return None
        self.context.understood.warn(
            _(
                "done activities of type %(type)s are not a call, e-mail or meeting: not counted "
                "(%(fix)s to count them)"
            )
            % {
                "type": repr(value),
                "fix": self.context.hints.option("type_map", repr(value + "=call")),
            }
        )
        return IGNORE

    def parse(self, cells: Cells) -> Staged | None:
        c = self.context
        understood = c.understood
        if self.columns.has("done"):
            finished = cells.get("done", done)
            if finished is False:
                understood.outcomes["not done (skipped)"] += 1
                return None
        kind = self._kind(cells)
        if kind is None and not cells.errors:
            cells.fail("type", _("is empty") if self.columns.has("type") else _("no type"))
        if kind == IGNORE:
            cells.check()
            return None
        key = cells.get("external_id", external_id, required=True)
        person = self._person(cells, "person")
        if person is None and not cells.errors:
            return None
        moment = cells.get("occurred", c.dates.moment, required=True)
        seg = cells.get("segment", segment) or ""
        account = cells.get("account", lambda v: text(v, 200))
        cells.check()
        occurred_at, month = moment  # type: ignore[misc]
        understood.outcomes[kind] += 1  # type: ignore[index]
        understood.day(occurred_at.astimezone(c.dates.zone).date())
        self._count_person(person)  # type: ignore[arg-type]
        return Staged(cells.row, key, (kind, person, occurred_at, None, seg), account, month)  # type: ignore[arg-type]

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 3, 4)
