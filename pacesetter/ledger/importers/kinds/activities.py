"""Activities: calls, e-mails and meetings that were done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from django.utils.translation import gettext as _

from pacesetter.ledger.importers.kinds.base import Cells, Context, RowParser, external_id, needs
from pacesetter.ledger.importers.kinds.fields import ColumnMap, missing_column
from pacesetter.ledger.importers.parsing import (
    GENERIC,
    IGNORE,
    CellError,
    done,
    segment,
    text,
)
from pacesetter.ledger.importers.report import ImportFileError, RowError, shown
from pacesetter.ledger.importers.tables import ActivityTable, Staged

# The fields a row of activities is read from (``ActivityParser.quick``).
QUICK_FIELDS = ("external_id", "person", "type", "occurred", "done", "segment", "account")


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

    def quick(self) -> Callable[[int, list[str]], Staged | None] | None:
        """A reader of the usual row (see ``RowParser.quick``): one column per field, a
        type that names a kind, a known person, an ISO time (``QuickRows``)."""
        at = {name: self.columns.indices.get(name, ()) for name in QUICK_FIELDS}
        if any(len(i) > 1 for i in at.values()) or not all(
            at[name] for name in ("external_id", "person", "type", "occurred")
        ):
            return None
        return QuickRows(self.context, {name: i[0] if i else None for name, i in at.items()})

    def resolve(self, batch: list[Staged]) -> None:
        self._resolve_accounts(batch, 3, 4)


class QuickRows:
    """Reads a plain row of activities as ``ActivityParser.parse`` would, at a fraction of
    its cost: each value not met before is checked once by the same functions as ``parse``,
    and only what passed is remembered (per distinct type, person, status and segment, per
    hour of times). Anything else (an error, an empty cell, a type to look further for)
    returns None, and the row goes through ``parse``, which says what is wrong; so a row
    is never rejected here, and nothing is counted for a row handed back."""

    def __init__(self, context: Context, at: dict[str, int | None]) -> None:
        assert context.kinds is not None  # activities always have them
        self.kinds, self.people, self.dates = context.kinds, context.people, context.dates
        self.understood = context.understood
        self.key_at, self.person_at = cast("int", at["external_id"]), cast("int", at["person"])
        self.type_at, self.occurred_at = cast("int", at["type"]), cast("int", at["occurred"])
        self.done_at, self.segment_at, self.account_at = at["done"], at["segment"], at["account"]
        self.width = max(i for i in at.values() if i is not None) + 1
        self.known_kinds: dict[str, str] = {}
        self.known_people: dict[str, tuple[int, str]] = {}
        self.known_segments: dict[str, str] = {}
        self.done_words: set[str] = set()
        self.days: set[dt.date] = set()

    def __call__(self, row: int, cells: list[str]) -> Staged | None:
        if len(cells) < self.width or not self._done(cells):
            return None
        value = cells[self.type_at].strip()
        kind = self.known_kinds.get(value) or (self._kind(value) if value else None)
        key = cells[self.key_at].strip()
        if kind is None or not key or len(key) > 128:
            return None
        value = cells[self.person_at].strip()
        person = self.known_people.get(value) or (self._person(value) if value else None)
        moment = self.dates.quick_moment(cells[self.occurred_at].strip())
        if person is None or moment is None:
            return None
        extra = self._extra(cells)
        if extra is None:
            return None
        utc, month, day = moment
        understood = self.understood  # the row is good: count it as ``parse`` does
        understood.outcomes[kind] += 1
        if day not in self.days:
            self.days.add(day)
            understood.day(day)
        understood.per_person[person[1]] += 1
        return Staged(row, key, (kind, person[0], utc, None, extra[0]), extra[1], month)

    def _done(self, cells: list[str]) -> bool:
        """Whether the row was done (no status column, an empty one, or a done word)."""
        if self.done_at is None:
            return True
        status = cells[self.done_at].strip()
        if not status or status in self.done_words:
            return True
        try:
            finished = done(status)
        except CellError:
            return False
        if finished and len(self.done_words) < 10_000:
            self.done_words.add(status)
        return finished

    def _kind(self, value: str) -> str | None:
        found = self.kinds.known(value)
        if found is None or found in (GENERIC, IGNORE):
            return None
        if len(self.known_kinds) < 10_000:
            self.known_kinds[value] = found
        return found

    def _person(self, value: str) -> tuple[int, str] | None:
        try:
            pk = self.people.find(value)
        except CellError:
            return None
        if pk is None:
            return None
        if len(self.known_people) > 50_000:  # ever-new values must not grow memory
            self.known_people.clear()
        found = self.known_people[value] = (pk, self.people.names.get(pk, str(pk)))
        return found

    def _extra(self, cells: list[str]) -> tuple[str, str | None] | None:
        """(segment, account) of the row; None when either needs ``parse``."""
        seg = ""
        if self.segment_at is not None and (value := cells[self.segment_at].strip()):
            seg = self.known_segments.get(value) or self._segment(value)
            if not seg:
                return None
        account = None
        if self.account_at is not None:
            account = cells[self.account_at].strip() or None
            if account is not None and len(account) > 200:
                return None
        return seg, account

    def _segment(self, value: str) -> str:
        try:
            found = segment(value)
        except CellError:
            return ""
        if len(self.known_segments) < 10_000:
            self.known_segments[value] = found
        return found
