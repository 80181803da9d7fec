"""Org imports: the org tree, the people in it, their roles and CRM user ids, from one file.

A row says "this person is in this team". The team hangs under its parents: the company at
the top, then the ``region`` (optional), then the ``parent_unit`` (optional; one name or a
path, ``EMEA / DACH`` or ``EMEA > DACH``). A name equal to the company's name means the
company. The first level is found by its name anywhere in the tree (teams aside), the next
ones by name within their parent; missing units are created, directly under the company as
regions and deeper as departments, and a missing team as a team. A team the file gives no
parent is found by its name anywhere, or created directly under the company (the report
says so). Without any company unit, one is created with the organisation's name.

The person is matched by e-mail, CRM user id (``crm_id``, in the CRM named by ``source``) or
full name, and created with ``create_people`` (without an e-mail, so without a login, when
the row has none; a later file fills the e-mail in). They get a membership of the team from
the import date (``as_of``, default today in the org's zone), ending their current one that
day. Roles: a ``manager`` (a person in the file or already known) gets the manager role of
the team, and so does a person whose ``role`` is ``manager`` (of their own unit); every
other person on a row gets the rep role, unless their ``role`` is ``none`` (or ``admin``)
or they already manage a unit or are an admin. ``role`` ``rep`` makes anyone a rep. No
role is ever taken away.

Each row is written in a savepoint, so a refused row leaves no trace. Managers are looked up
after the last row, since a manager may be on a later row; when one is unknown (or their
own row was refused) under ``skip_bad``, the rows are applied again, from the start, with
that row refused beforehand, so it leaves no trace either. Without ``skip_bad`` a bad row
rolls the whole import back. To read the rows more than once they are spooled to a
temporary file: memory holds what the org holds (its people and units), not the file.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pacesetter.ledger.importers.kinds.base import Cells
from pacesetter.ledger.importers.kinds.fields import resolve_columns
from pacesetter.ledger.importers.options import ImportOptions
from pacesetter.ledger.importers.parsing import CellError, People, crm_key, norm, text, undecorated
from pacesetter.ledger.importers.presets import PRESETS
from pacesetter.ledger.importers.readers import Records
from pacesetter.ledger.importers.report import ImportFileError, ImportReport, RowError, shown
from pacesetter.ledger.importers.tables import chunks
from pacesetter.org.models import CrmIdentity, Membership, OrgSettings, Person, Role, Unit
from pacesetter.org.selectors import today_in_org
from pacesetter.org.services import membership_move

SPOOL_BYTES = 8 * 1024 * 1024  # rows kept in memory before the spool moves to a file
ROLES = {"rep": "rep", "manager": "manager", "none": "none", "admin": "none"}
_PATH = re.compile(r"\s*[/>]\s*")
NAMES_SHOWN = 5
# What an org import creates, as its notes name it ("created: people 3, teams 1").
MADE_LABELS = {
    "people": gettext_lazy("people"),
    "company": gettext_lazy("company"),
    "regions": gettext_lazy("regions"),
    "departments": gettext_lazy("departments"),
    "teams": gettext_lazy("teams"),
    "rep roles": gettext_lazy("rep roles"),
    "manager roles": gettext_lazy("manager roles"),
    "CRM ids": gettext_lazy("CRM ids"),
}


def _name(value: str) -> str:
    return " ".join(text(value, 200).split())


def _path(value: str) -> tuple[str, list[str]]:
    """A parent unit: the whole name, and its levels (``EMEA / DACH``, ``EMEA > DACH``)."""
    whole = " ".join(text(value, 1000).split())
    levels = [_name(level) for level in _PATH.split(whole)]
    if not all(levels):
        raise CellError(_("a level of the path is empty (write it as EMEA / DACH)"))
    return whole, levels


def _email(value: str) -> str:
    value = undecorated(text(value, 254))
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("not a valid e-mail address")) from None
    return value.lower()


def _crm_id(value: str) -> str:
    return text(value, 128)


def _role(value: str) -> str:
    found = ROLES.get(norm(value))
    if found is None:
        raise CellError(_("unknown role (known: rep, manager, none)"))
    return found


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


class _Units:
    """The org's units in memory (an org has thousands at most), found by name in any case;
    a name written exactly as stored wins over one that differs only in case."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Unit]] = {}
        self.by_id: dict[int, Unit] = {}
        self.company: Unit | None = None
        for unit in Unit.objects.order_by("pk"):
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self.by_key.setdefault(unit.name.casefold(), []).append(unit)
        self.by_id[unit.pk] = unit
        if unit.kind == Unit.Kind.COMPANY and unit.parent_id is None and self.company is None:
            self.company = unit

    def named(self, name: str, *, parent: Unit | None = None, teams: bool = True) -> list[Unit]:
        """Units called ``name``: the children of ``parent``, else any but the company
        (``teams=False``: but the company and the teams)."""
        found = self.by_key.get(name.casefold(), [])
        if parent is not None:
            found = [u for u in found if u.parent_id == parent.pk]
        else:
            found = [u for u in found if u.kind != Unit.Kind.COMPANY]
        if not teams:
            found = [u for u in found if u.kind != Unit.Kind.TEAM]
        exact = [u for u in found if u.name == name]
        return exact or found

    def path(self, unit: Unit) -> str:
        """``EMEA / DACH``: the unit's parents below the company, then the unit."""
        names = []
        at: Unit | None = unit
        while at is not None and at.kind != Unit.Kind.COMPANY:
            names.append(at.name)
            at = self.by_id.get(at.parent_id) if at.parent_id else None
        return " / ".join(reversed(names))


class _OrgImport:
    def __init__(self, records: Records, options: ImportOptions, report: ImportReport) -> None:
        self.records, self.options, self.report = records, options, report
        self.hints = options.hints
        self.columns = resolve_columns(
            "org", records.header, None, dict(options.mapping), options.hints
        )
        self.source = report.source
        if self.columns.has("crm_id") and not self.source:
            *others, last = PRESETS
            crms = _("%(first)s or %(second)s") % {"first": ", ".join(others), "second": last}
            reason = _("a crm_id column holds user ids of a CRM: say which (%(fix)s)") % {
                "fix": self.hints.option("source", crms)
            }
            raise ImportFileError(RowError(1, self.columns.label("crm_id"), "", reason))
        self.on = options.as_of or today_in_org()
        self.refused: dict[int, list[RowError]] = {}  # rows refused before any is applied

    # --- the import ------------------------------------------------------------------

    def run(self) -> None:
        with (
            tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as spool,
            transaction.atomic(),
        ):
            self._spool(spool)
            while True:
                try:
                    with transaction.atomic():
                        self._attempt(spool)
                except _Again:  # rows named unknown managers: again, without those rows
                    continue
                break
            for number in sorted(self.refused.keys() | self.failed.keys()):
                self.report.reject(self.refused.get(number) or self.failed[number])
            if self.report.rows == 0:
                reason = _("the file has a header but no rows")
                self.report.add_errors([RowError(2, "", "", reason)])
                self.report.aborted = True
            stopped = self.report.aborted or (self.report.rejected and not self.options.skip_bad)
            if stopped or self.options.dry_run:
                transaction.set_rollback(True)
            else:
                self.report.committed = True
            for outcome in self.outcomes.values():
                setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        if self.report.committed or (self.options.dry_run and not stopped):
            self._notes()

    def _spool(self, spool: IO[str]) -> None:
        """Read the file once: rows to apply go to the spool, undecodable ones are refused."""
        for number, cells, problems in self.records.rows:
            if not any(cells):
                continue
            self.report.rows += 1
            if problems:
                self.refused[number] = problems
                continue
            spool.write(json.dumps([number, cells]) + "\n")

    def _attempt(self, spool: IO[str]) -> None:
        """Apply every row not refused beforehand, then the managers and the roles."""
        self.people = People(self.source, hints=self.hints)
        self.units = _Units()
        self.company_name = self.units.company.name if self.units.company else ""
        if not self.company_name:
            self.company_name = OrgSettings.load().name
        self.failed: dict[int, list[RowError]] = {}
        self.outcomes: dict[int, str] = {}  # row → created, updated or unchanged
        self.rows_of_person: dict[int, int] = {}
        self.roles: dict[int, str | None] = {}  # person → the role column's value
        self.managers: list[tuple[int, Unit, str, str]] = []  # row, unit, reference, label
        self.manager_roles: dict[tuple[int, int], tuple[int, Unit]] = {}  # → row, unit
        self.made = dict.fromkeys(("people", "company", "regions", "departments", "teams",
                                   "rep roles", "manager roles", "CRM ids"), 0)  # fmt: skip
        self.orphans: list[str] = []  # teams created directly under the company
        spool.seek(0)
        for line in spool:
            number, cells = json.loads(line)
            if number in self.refused:
                continue
            row = Cells(number, self.columns.extract(cells), self.columns, cells)
            self.done: list[Callable[[], object]] = []  # what to remember once the row is in
            self.row_company: Unit | None = None
            try:
                with transaction.atomic():
                    outcome = self._row(row)
            except _Refused:
                self.failed[number] = row.errors
                continue
            for remember in self.done:
                remember()
            self.outcomes[number] = outcome
        unknown = self._resolve_managers()
        if unknown and self.options.skip_bad:
            self.refused.update(unknown)
            raise _Again
        self.failed.update(unknown)
        self._give_roles()

    # --- one row ---------------------------------------------------------------------

    def _row(self, row: Cells) -> str:
        """Apply one row; returns the count it adds to (created, updated, unchanged).

        Writes happen in the caller's savepoint; what this import remembers (people and
        units made, rows seen, managers to assign) is updated once the row has succeeded.
        """
        name = row.get("person", _name, required=True) or ""
        email = row.get("email", _email)
        team_name = row.get("team", _name, required=True) or ""
        manager = row.get("manager", _name)
        region = row.get("region", _name)
        parent = row.get("parent_unit", _path)
        crm_id = row.get("crm_id", _crm_id)
        role = row.get("role", _role)
        _check(row)
        pk = self._find_person(row, name, email, crm_id)
        unit = self._place(row, team_name, region, parent)
        outcome = "unchanged"
        if pk is None:
            person = Person.objects.create(full_name=name, email=email or "")
            outcome = "created"
            self.done.append(lambda: self._count("people"))
        else:
            person = Person.objects.get(pk=pk)
            if email and person.email and person.email.casefold() != email:
                reason = _(
                    "%(name)s has the e-mail %(email)s (if theirs changed, change it in the "
                    "admin; for a namesake, add them there first)"
                ) % {"name": person.full_name, "email": person.email}
                row.fail("email", reason)
                _check(row)
            if email and not person.email:
                person.email = email
                person.save(update_fields=["email"])
                outcome = "updated"
        if crm_id and self._store_crm_id(person, crm_id) and outcome == "unchanged":
            outcome = "updated"
        current = Membership.objects.filter(person=person).on(self.on).first()
        if current is None or current.unit_id != unit.pk:
            self._move(row, person, unit, current)
            outcome = "created" if current is None else outcome
            outcome = "updated" if outcome == "unchanged" else outcome
        label = self.columns.label("manager", row.cells)

        def remember() -> None:
            self.people.add(person.pk, person.email, person.full_name)
            self.rows_of_person[person.pk] = row.row
            self.roles[person.pk] = role
            if manager:
                self.managers.append((row.row, unit, manager, label))
            if role == "manager":
                self.manager_roles.setdefault((person.pk, unit.pk), (row.row, unit))

        self.done.append(remember)
        return outcome

    def _move(self, row: Cells, person: Person, team: Unit, current: Membership | None) -> None:
        try:
            if current is not None and current.valid_from == self.on:
                # Moved earlier the same day (e.g. a corrected file): fix that move instead.
                current.unit = team
                current.full_clean()
                current.save(update_fields=["unit"])
            else:
                membership_move(person=person, to_unit=team, on=self.on)
        except ValidationError as error:
            row.fail("team", _message(error))
            _check(row)

    def _find_person(
        self, row: Cells, name: str, email: str | None, crm_id: str | None
    ) -> int | None:
        """The person's id (by e-mail, CRM user id, else full name); ``None`` when they are
        to be created (``create_people``). A row whose e-mail, user id and name point at
        different people is refused."""
        people = self.people
        by_email = people.find(email) if email else None
        by_crm = people.by_crm.get(crm_key(self.source, crm_id)) if crm_id else None
        ambiguous = ""
        try:
            by_name = people.find(name)
        except CellError as error:
            by_name, ambiguous = None, str(error)
        if by_email and by_name and by_email != by_name:
            row.fail(
                "email",
                _("this e-mail is %(name)s's, another person") % {"name": people.names[by_email]},
            )
        known = by_email or by_name
        if by_crm and known and by_crm != known:
            row.fail(
                "crm_id",
                _("this user id is %(name)s's, another person") % {"name": people.names[by_crm]},
            )
        pk = by_email or by_crm or by_name
        if pk is None:
            if ambiguous:
                row.fail("person", ambiguous)
            elif not self.options.create_people:
                reason = _(
                    "unknown person: no one has this e-mail, user id or full name "
                    "(%(fix)s to create them)"
                ) % {"fix": self.hints.option("create_people")}
                row.fail("person", reason)
        elif pk in self.rows_of_person:
            row.fail(
                "person",
                _("this person is already on row %(row)s") % {"row": self.rows_of_person[pk]},
            )
        _check(row)
        return pk

    def _store_crm_id(self, person: Person, crm_id: str) -> bool:
        """Store the person's user id in the import's CRM; whether anything changed."""
        stored = CrmIdentity.objects.filter(person=person, source=self.source).first()
        if stored is None:
            CrmIdentity.objects.create(person=person, source=self.source, crm_id=crm_id)
            self.done.append(lambda: self._count("CRM ids"))
        elif crm_key(self.source, stored.crm_id) == crm_key(self.source, crm_id):
            return False  # the same id (Salesforce: its 15- or 18-character form)
        else:
            old = stored.crm_id
            stored.crm_id = crm_id
            stored.save(update_fields=["crm_id"])
            self.done.append(lambda: self.people.by_crm.pop(crm_key(self.source, old), None))
        self.done.append(lambda: self.people.add_crm_id(person.pk, crm_id))
        return True

    # --- where the row's team is -----------------------------------------------------

    def _place(
        self, row: Cells, team: str, region: str | None, parent: tuple[str, list[str]] | None
    ) -> Unit:
        """The row's team (or other unit), created with its missing parents."""
        levels = [("region", region)] if region else []
        if parent is not None:
            whole, names = parent
            if len(names) > 1 and self.units.named(whole, teams=False):
                names = [whole]  # a unit whose own name has a "/" or ">"
            levels += [("parent_unit", name) for name in names]
        at_company, below = False, []
        for column, name in levels:
            if not _same(name, self.company_name):
                below.append((column, name))
            elif below:
                reason = _(
                    "names the company, which is the top of the tree: it cannot be under %(unit)s"
                ) % {"unit": below[-1][1]}
                row.fail(column, reason)
            else:
                at_company = True
        _check(row)
        unit: Unit | None = self._company() if at_company else None
        for column, name in below:
            unit = self._level(row, column, name, unit)
        return self._team(row, team, unit)

    def _level(self, row: Cells, column: str, name: str, parent: Unit | None) -> Unit:
        """A parent unit: below ``parent`` if given, else anywhere (teams aside)."""
        if parent is None:
            # A team and its region may share a name ("Nordics"): the parent is the region.
            found = self.units.named(name)
            if len(found) > 1:
                found = [unit for unit in found if unit.kind != Unit.Kind.TEAM] or found
            if len(found) > 1:
                self._ambiguous(row, column, found)
        else:
            found = self.units.named(name, parent=parent)
            if len(found) > 1:
                self._ambiguous(row, column, found)
        if found and found[0].kind == Unit.Kind.TEAM:
            reason = _("%(unit)s is a team: teams hold people, not other units") % {
                "unit": self.units.path(found[0])
            }
            row.fail(column, reason)
            _check(row)
        if found:
            return found[0]
        parent = parent or self._company()
        kind = Unit.Kind.REGION if parent.kind == Unit.Kind.COMPANY else Unit.Kind.DEPARTMENT
        return self._create(name, kind, parent)

    def _team(self, row: Cells, name: str, parent: Unit | None) -> Unit:
        if _same(name, self.company_name):
            if parent is not None and parent.kind != Unit.Kind.COMPANY:
                row.fail("team", _("is the company's name: the company is under no unit"))
                _check(row)
            return self._company()
        if parent is not None:
            found = self.units.named(name, parent=parent)
            if len(found) > 1:
                self._ambiguous(row, "team", found)
            return found[0] if found else self._create(name, Unit.Kind.TEAM, parent)
        found = self.units.named(name)
        teams = [unit for unit in found if unit.kind == Unit.Kind.TEAM]
        if len(teams) == 1 or (len(found) == 1 and not teams):
            return (teams or found)[0]
        if found:
            self._ambiguous(row, "team", teams or found, _("give parent_unit"))
        unit = self._create(name, Unit.Kind.TEAM, self._company())
        self.done.append(lambda: self.orphans.append(name))
        return unit

    def _ambiguous(self, row: Cells, column: str, found: list[Unit], fix: str = "") -> None:
        paths = [self.units.path(unit) for unit in found]
        shown_paths = "; ".join(paths[:NAMES_SHOWN]) + ("; …" if len(paths) > NAMES_SHOWN else "")
        fix = fix or _('write its path, e.g. "%(path)s"') % {"path": paths[0]}
        row.fail(
            column,
            _("several units have this name (%(paths)s): %(fix)s")
            % {"paths": shown_paths, "fix": fix},
        )
        _check(row)

    def _company(self) -> Unit:
        """The company unit, created (named as in the org's settings) when there is none."""
        company = self.units.company or self.row_company
        if company is None:
            company = Unit.objects.create(name=self.company_name, kind=Unit.Kind.COMPANY)
            self.row_company = company
            self.done.append(lambda: self.units.add(company))
            self.done.append(lambda: self._count("company"))
        return company

    def _create(self, name: str, kind: str, parent: Unit) -> Unit:
        unit = Unit.objects.create(name=name, kind=kind, parent=parent)
        self.done.append(lambda: self.units.add(unit))
        self.done.append(lambda: self._count(f"{kind}s"))  # regions, departments, teams
        return unit

    # --- after the last row ----------------------------------------------------------

    def _resolve_managers(self) -> dict[int, list[RowError]]:
        """Find the managers the rows name; the rows naming nobody known, by row."""
        unknown: dict[int, list[RowError]] = {}
        for number, unit, reference, label in self.managers:
            try:
                pk = self.people.find(reference)
            except CellError as error:
                pk, reason = None, str(error)
            else:
                reason = _(
                    "unknown person: no one in the file (on a row that was imported) or "
                    "already known has this e-mail, user id or full name"
                )
            if pk is None:
                unknown[number] = [RowError(number, label, shown(reference), reason)]
            else:
                self.manager_roles.setdefault((pk, unit.pk), (number, unit))
        return unknown

    def _give_roles(self) -> None:
        """Managers get the manager role of their unit, everyone else on a row the rep role."""
        for (pk, _unit_pk), (number, unit) in self.manager_roles.items():
            _role, made = Role.objects.get_or_create(
                person_id=pk, kind=Role.Kind.MANAGER, unit=unit
            )
            if made:
                self._count("manager roles")
                self._changed(number)
        named = {pk for pk, _unit_pk in self.manager_roles}
        reps = [pk for pk, role in self.roles.items()
                if role == "rep" or (role is None and pk not in named)]  # fmt: skip
        for chunk in chunks(reps, 1_000):
            roles = list(Role.objects.filter(person_id__in=chunk).values_list("person_id", "kind"))
            have = {pk for pk, kind in roles if kind == Role.Kind.REP}
            # Who already manages a unit or is an admin is no rep unless their row says so.
            others = {pk for pk, kind in roles if kind in (Role.Kind.MANAGER, Role.Kind.ADMIN)}
            new = [Role(person_id=pk, kind=Role.Kind.REP) for pk in chunk
                   if pk not in have and (pk not in others or self.roles[pk] == "rep")]  # fmt: skip
            Role.objects.bulk_create(new)
            for role in new:
                self._count("rep roles")
                self._changed(self.rows_of_person[role.person_id])

    def _count(self, what: str) -> None:
        self.made[what] += 1

    def _changed(self, number: int) -> None:
        """The row gave its person a role: an unchanged row becomes an update."""
        if self.outcomes.get(number) == "unchanged":
            self.outcomes[number] = "updated"

    def _notes(self) -> None:
        committed = self.report.committed
        made = ", ".join(f"{MADE_LABELS[what]} {n:,}" for what, n in self.made.items() if n)
        if made:
            note = _("created: %(made)s") if committed else _("would be created: %(made)s")
            self.report.note(note % {"made": made})
        if self.made["company"]:
            if committed:
                note = _(
                    'there was no company unit: "%(name)s" (the name in the organisation '
                    "settings) was created at the top of the tree"
                )
            else:
                note = _(
                    'there was no company unit: "%(name)s" (the name in the organisation '
                    "settings) would be created at the top of the tree"
                )
            self.report.note(note % {"name": self.company_name})
        if self.orphans:
            names = ", ".join(self.orphans[:NAMES_SHOWN])
            more = len(self.orphans) - NAMES_SHOWN
            if more > 0:
                names = _("%(names)s and %(count)s more") % {"names": names, "count": f"{more:,}"}
            count = len(self.orphans)
            values = {"count": f"{count:,}", "names": names}
            if committed:
                note = ngettext(
                    "%(count)s team created directly under the company, as the file gives no "
                    "parent_unit or region: %(names)s",
                    "%(count)s teams created directly under the company, as the file gives no "
                    "parent_unit or region: %(names)s",
                    count,
                )
            else:
                note = ngettext(
                    "%(count)s team would be created directly under the company, as the file "
                    "gives no parent_unit or region: %(names)s",
                    "%(count)s teams would be created directly under the company, as the file "
                    "gives no parent_unit or region: %(names)s",
                    count,
                )
            self.report.note(note % values)


class _Refused(Exception):
    """The row has errors (already collected in its ``Cells``): undo its savepoint."""


class _Again(Exception):
    """Rows named managers nobody knows: undo the attempt and apply the rows again."""


def _check(row: Cells) -> None:
    if row.errors:
        raise _Refused


def import_org(records: Records, options: ImportOptions, report: ImportReport) -> None:
    """Apply an org file (see the module docstring); fills ``report``."""
    _OrgImport(records, options, report).run()
