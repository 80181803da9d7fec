"""Org imports: people into teams, teams under their parent unit, managers of teams.

A row says "this person is in this team": the person (matched by e-mail, else by exact
full name; created with ``create_people``) gets a membership of the team from the import
date (``as_of``, default today in the org's zone), ending their current one that day; a
missing team is created under ``parent_unit``; a ``manager`` names the team's manager (a
person in the file or already known), who gets the manager role of the team. Each row is
written in a savepoint, so a refused row leaves no trace; bad rows (without ``skip_bad``)
roll the whole import back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from pacesetter.ledger.importers.kinds import Cells, resolve_columns
from pacesetter.ledger.importers.options import ImportOptions
from pacesetter.ledger.importers.parsing import CellError, People, text
from pacesetter.ledger.importers.readers import Records
from pacesetter.ledger.importers.report import ImportReport, RowError
from pacesetter.org.models import Membership, Person, Role, Unit
from pacesetter.org.selectors import today_in_org
from pacesetter.org.services import membership_move


def _name(value: str) -> str:
    return " ".join(text(value, 200).split())


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise CellError("not a valid e-mail address") from None
    return value.lower()


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


class _OrgImport:
    def __init__(self, records: Records, options: ImportOptions, report: ImportReport) -> None:
        self.records, self.options, self.report = records, options, report
        self.columns = resolve_columns("org", records.header, None, dict(options.mapping))
        self.people = People()
        self.on = options.as_of or today_in_org()
        self.rows_of_person: dict[int, int] = {}
        self.managers: list[tuple[int, Unit, str, str]] = []  # row, team, reference, label
        self.stopped = False
        self.made = {"people": 0, "teams": 0, "manager roles": 0}

    def run(self) -> None:
        with transaction.atomic():
            for number, cells, problems in self.records.rows:
                if not any(cells):
                    continue
                self.report.rows += 1
                if problems:
                    self._reject(problems)
                    continue
                row = Cells(number, self.columns.extract(cells), self.columns, cells)
                try:
                    with transaction.atomic():
                        outcome = self._row(row)
                except _Refused:
                    self._reject(row.errors)
                    continue
                setattr(self.report, outcome, getattr(self.report, outcome) + 1)
            self._assign_managers()
            if self.report.rows == 0:
                self.report.add_errors([RowError(2, "", "", "the file has a header but no rows")])
                self.stopped = self.report.aborted = True
            if self.stopped or self.options.dry_run:
                transaction.set_rollback(True)
            else:
                self.report.committed = True
        made = ", ".join(f"{what} {n}" for what, n in self.made.items() if n)
        if made and (self.report.committed or self.options.dry_run):
            verb = "created" if self.report.committed else "would be created"
            self.report.note(f"{verb}: {made}")

    def _reject(self, errors: list[RowError]) -> None:
        self.report.reject(errors)
        if not self.options.skip_bad:
            self.stopped = True

    def _row(self, row: Cells) -> str:
        """Apply one row; returns the count it adds to (created, updated, unchanged).

        Writes happen in the caller's savepoint; what this import remembers (people made,
        rows seen, managers to assign) is updated only once the row has succeeded.
        """
        name = row.get("person", _name, required=True) or ""
        email = row.get("email", _email)
        team_name = row.get("team", _name, required=True) or ""
        manager = row.get("manager", _name)
        parent_name = row.get("parent_unit", _name)
        _check(row)
        pk = self._find_person(row, name, email)
        team, team_made = self._team(row, team_name, parent_name)
        if pk is None:
            person = Person.objects.create(full_name=name, email=email)
        else:
            person = Person.objects.get(pk=pk)
        current = Membership.objects.filter(person=person).on(self.on).first()
        if current is None or current.unit_id != team.pk:
            self._move(row, person, team, current)
        # The row is in: remember it.
        if pk is None:
            self.people.add(person.pk, person.email, person.full_name)
            self.made["people"] += 1
        self.made["teams"] += int(team_made)
        self.rows_of_person[person.pk] = row.row
        if manager:
            self.managers.append((row.row, team, manager, self.columns.label("manager")))
        if pk is None or current is None:
            return "created"
        return "unchanged" if current.unit_id == team.pk else "updated"

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

    def _find_person(self, row: Cells, name: str, email: str | None) -> int | None:
        """The person's id; ``None`` when they are to be created (``create_people``)."""
        try:
            pk = (self.people.find(email) if email else None) or self.people.find(name)
        except CellError as error:
            row.fail("person", str(error))
            raise _Refused from None
        if pk is None:
            if not self.options.create_people:
                row.fail("person", "unknown person: no one has this e-mail or exact full "
                         "name (give --create-people to create them)")  # fmt: skip
            elif not email:
                row.fail("email" if self.columns.has("email") else "person",
                         "an e-mail address is needed to create a person")  # fmt: skip
        elif pk in self.rows_of_person:
            row.fail("person", f"this person is already on row {self.rows_of_person[pk]}")
        _check(row)
        return pk

    def _team(self, row: Cells, name: str, parent_name: str | None) -> tuple[Unit, bool]:
        """The team, and whether it was created (under ``parent_name``)."""
        if parent_name:
            parents = list(Unit.objects.filter(name=parent_name)[:2])
            if len(parents) != 1:
                row.fail("parent_unit", "unknown unit" if not parents else
                         "several units have this name")  # fmt: skip
                _check(row)
            return Unit.objects.get_or_create(
                parent=parents[0], name=name, defaults={"kind": Unit.Kind.TEAM}
            )
        teams = list(Unit.objects.filter(name=name).exclude(kind=Unit.Kind.COMPANY)[:2])
        if len(teams) != 1:
            row.fail("team", "unknown team: give a parent_unit column to create it" if not teams
                     else "several units have this name: give parent_unit")  # fmt: skip
            _check(row)
        return teams[0], False

    def _assign_managers(self) -> None:
        for number, team, reference, label in self.managers:
            try:
                pk = self.people.find(reference)
            except CellError as error:
                pk, reason = None, str(error)
            else:
                reason = "unknown person: no one has this e-mail or full name"
            if pk is None:
                self._reject([RowError(number, label, reference, reason)])
                continue
            _, made = Role.objects.get_or_create(person_id=pk, kind=Role.Kind.MANAGER, unit=team)
            self.made["manager roles"] += int(made)


class _Refused(Exception):
    """The row has errors (already collected in its ``Cells``): undo its savepoint."""


def _check(row: Cells) -> None:
    if row.errors:
        raise _Refused


def import_org(records: Records, options: ImportOptions, report: ImportReport) -> None:
    """Apply an org file (see the module docstring); fills ``report``."""
    _OrgImport(records, options, report).run()
