"""Org imports: people into teams (created under their parent when missing), and managers."""

from __future__ import annotations

import datetime as dt

from pacesetter.org.models import Membership, Person, Role, Unit

from .test_import_helpers import importing, stored, write_csv

HEADER = ["person", "email", "team", "manager", "parent_unit"]
MOVE_DAY = dt.date(2026, 6, 1)


def org_file(tmp_path, *rows):
    return write_csv(tmp_path / "org.csv", [HEADER, *rows])


def test_an_org_import_creates_a_team_under_its_parent_with_members_and_a_manager(
    small_org, tmp_path
):
    path = org_file(
        tmp_path,
        ["Dana Diaz", "dana@example.com", "Team Gamma", "Dana Diaz", "Americas"],
        ["Charlie Chen", "", "Team Gamma", "", "Americas"],
        ["Alice Adams", "alice@example.com", "Team Alpha", "", ""],
    )
    report = importing("org", path, create_people=True, as_of=MOVE_DAY)

    assert report.committed, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    gamma = Unit.objects.get(name="Team Gamma")
    assert (gamma.kind, gamma.parent) == ("team", small_org.region)
    dana = Person.objects.get(email="dana@example.com")
    assert dana.full_name == "Dana Diaz"
    assert Role.objects.filter(person=dana, kind="manager", unit=gamma).exists()
    # Charlie's time in Beta ends the day his time in Gamma starts: history stays true.
    charlie = Membership.objects.filter(person=small_org.charlie).order_by("valid_from")
    assert [(m.unit.name, m.valid_from, m.valid_to) for m in charlie] == [
        ("Team Beta", dt.date(2025, 1, 1), MOVE_DAY),
        ("Team Gamma", MOVE_DAY, None),
    ]
    assert [m.unit for m in Membership.objects.filter(person=dana)] == [gamma]


def test_importing_the_same_org_file_again_changes_nothing(small_org, tmp_path):
    path = org_file(
        tmp_path, ["Dana Diaz", "dana@example.com", "Team Gamma", "Mia Manager", "Americas"]
    )
    importing("org", path, create_people=True, as_of=MOVE_DAY)
    before = stored()

    again = importing("org", path, create_people=True, as_of=MOVE_DAY + dt.timedelta(days=3))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert stored() == before


def test_an_unknown_person_is_refused_unless_people_may_be_created(small_org, tmp_path):
    before = stored()
    path = org_file(
        tmp_path,
        ["Bob Brown", "", "Team Beta", "", ""],
        ["Erin Evans", "erin@example.com", "Team Beta", "", ""],
    )
    report = importing("org", path, as_of=MOVE_DAY)

    assert report.failed
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "person", "Erin Evans")]
    assert "give --create-people" in report.errors[0].reason
    assert stored() == before  # Bob's move in row 2 was undone too


def test_a_missing_team_without_a_parent_and_an_unknown_manager_are_refused(small_org, tmp_path):
    before = stored()
    path = org_file(
        tmp_path,
        ["Bob Brown", "", "Team Nowhere", "", ""],
        ["Alice Adams", "", "Team Beta", "Zed Zulu", ""],
    )
    report = importing("org", path, as_of=MOVE_DAY, skip_bad=False)

    assert [(e.row, e.column) for e in report.errors] == [(2, "team"), (3, "manager")]
    assert report.errors[0].reason == "unknown team: give a parent_unit column to create it"
    assert stored() == before


def test_with_skip_bad_a_refused_row_leaves_no_trace_of_what_it_began(small_org, tmp_path):
    path = org_file(
        tmp_path,
        ["Erin Evans", "erin@example.com", "Team Nowhere", "", ""],  # refused: no such team
        ["Erin Evans", "erin@example.com", "Team Beta", "", ""],
    )
    report = importing("org", path, create_people=True, skip_bad=True, as_of=MOVE_DAY)

    assert (report.created, report.rejected, report.committed) == (1, 1, True)
    erin = Person.objects.get(email="erin@example.com")
    assert [m.unit for m in Membership.objects.filter(person=erin)] == [small_org.beta]
    assert report.notes == ["created: people 1"]
