"""Org imports: the whole org tree from one file (units created under their parents when
missing), people with or without an e-mail, roles, CRM user ids, and managers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pacesetter.conftest import run_command
from pacesetter.ledger.importers.hints import Hints
from pacesetter.ledger.models import Deal
from pacesetter.org.models import CrmIdentity, Membership, OrgSettings, Person, Role, Unit

from .test_import_helpers import importing, stored, write_csv

HEADER = ["person", "email", "team", "manager", "parent_unit"]
FULL = ["person", "email", "team", "manager", "parent_unit", "region", "crm_id", "role"]
MOVE_DAY = dt.date(2026, 6, 1)
HANS_15 = "0055e000001AbCe"  # a Salesforce user id, and the same id in its 18-character form
HANS_18 = "0055e000001AbCeAAQ"


def org_file(tmp_path, *rows, header=HEADER, name="org.csv"):
    return write_csv(tmp_path / name, [header, *rows])


def everything() -> dict[str, list[tuple]]:
    """What ``stored()`` holds, plus the CRM user ids."""
    return {**stored(), "CrmIdentity": sorted(CrmIdentity.objects.values_list(
        "person__full_name", "source", "crm_id"))}  # fmt: skip


def tree() -> dict[str, str]:
    """Every unit as its path from the top (``Acme / EMEA / DACH``) → its kind."""
    units = {u.pk: u for u in Unit.objects.all()}

    def path(unit: Unit) -> str:
        above = units.get(unit.parent_id)
        return unit.name if above is None else f"{path(above)} / {unit.name}"

    return {path(u): u.kind for u in units.values()}


def roles() -> set[tuple[str, str, str]]:
    """(person, kind, unit) of every role."""
    return {(r.person.full_name, r.kind, r.unit.name if r.unit else "")
            for r in Role.objects.select_related("person", "unit")}  # fmt: skip


def unit_of(name: str) -> str:
    """The unit a person is in on the import day (their open membership)."""
    return Membership.objects.get(person__full_name=name, valid_to=None).unit.name


@pytest.fixture
def acme(db):
    """A fresh install: the settings row, no unit, no person."""
    org = OrgSettings.load()
    org.name = "Acme"
    org.save()
    return org


@pytest.fixture
def company(db) -> Unit:
    """What ``pacesetter setup`` leaves: only the company unit."""
    return Unit.objects.create(name="Northwind", kind=Unit.Kind.COMPANY)


# An empty install's first hour: one file builds the whole tree, from the company down.
TREE_ROWS = [
    # person, email, team, manager, parent_unit, region, crm_id, role
    ["Greta Graf", "greta@acme.test", "DACH Enterprise", "Greta Graf", "DACH", "EMEA",
     "0055e000001AbCd", ""],
    ["Hans Huber", "", "DACH Enterprise", "greta@acme.test", "DACH", "EMEA", HANS_15, ""],
    ["Ida Ilic", "ida@acme.test", "DACH SMB", "Greta Graf", "EMEA / DACH", "", "", "Rep"],
    ["Vic Vance", "", "US East", "Uma Ueda", "Americas", "", "", ""],  # Uma is on a later row
    ["Uma Ueda", "uma@acme.test", "US East", "", "", "Americas", "", ""],
    ["Sam Sales-Ops", "sam@acme.test", "acme", "", "", "", "", "none"],  # the company itself
]  # fmt: skip


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


def test_an_unknown_manager_is_refused_and_a_team_without_parent_is_created_under_the_company(
    small_org, tmp_path
):
    before = stored()
    path = org_file(
        tmp_path,
        ["Bob Brown", "", "Team Nowhere", "", ""],  # fine: created under Northwind
        ["Alice Adams", "", "Team Beta", "Zed Zulu", ""],
    )
    report = importing("org", path, as_of=MOVE_DAY, skip_bad=False)

    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "manager", "Zed Zulu")]
    assert report.errors[0].reason.startswith("unknown person: no one in the file")
    assert stored() == before

    report = importing("org", path, as_of=MOVE_DAY, skip_bad=True)

    assert (report.created, report.updated, report.rejected) == (0, 1, 1)
    assert tree()["Northwind / Team Nowhere"] == "team"
    assert report.notes == [
        "created: teams 1",
        "1 team created directly under the company, as the file gives no parent_unit or "
        "region: Team Nowhere",
    ]


def test_with_skip_bad_a_refused_row_leaves_no_trace_of_what_it_began(small_org, tmp_path):
    # Bob leaves at the end of the year: moving him in June is refused after his row has
    # already created Team Epsilon.
    Membership.objects.filter(person=small_org.bob).update(valid_to=dt.date(2026, 12, 31))
    path = org_file(
        tmp_path,
        ["Erin Evans", "erin@example.com", "Team Delta", "Zed Zulu", "EMEA"],  # unknown manager
        ["Erin Evans", "erin@example.com", "Team Beta", "", ""],
        ["Bob Brown", "", "Team Epsilon", "", "Americas"],
    )
    report = importing("org", path, create_people=True, skip_bad=True, as_of=MOVE_DAY)

    assert (report.created, report.rejected, report.committed) == (1, 2, True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "manager"), (4, "team")]
    assert report.errors[1].reason.startswith("Bob Brown leaves Team Alpha on 2026-12-31")
    erin = Person.objects.get(email="erin@example.com")
    assert [m.unit for m in Membership.objects.filter(person=erin)] == [small_org.beta]
    assert not Unit.objects.filter(name__in=["EMEA", "Team Delta", "Team Epsilon"]).exists()
    assert report.notes == ["created: people 1, rep roles 1"]


def test_with_skip_bad_a_row_naming_an_unknown_manager_moves_no_one(small_org, tmp_path):
    # The bug: the manager was checked after the row's savepoint, so Bob was moved anyway.
    before = stored()
    path = org_file(
        tmp_path,
        ["Bob Brown", "", "Team Beta", "Zed Zulu", ""],
        ["Dana Diaz", "dana@example.com", "Team Gamma", "", "Americas / West"],
        ["Alice Adams", "", "Team Gamma", "Dana Diaz", "Americas / West"],  # Dana's row: fine
        ["Erin Evans", "erin@", "Team Beta", "", ""],  # refused: so is a row naming her
        ["Charlie Chen", "", "Team Zeta", "Erin Evans", "Americas"],
    )
    report = importing("org", path, create_people=True, skip_bad=True, as_of=MOVE_DAY)

    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "manager", "Zed Zulu"),
        (5, "email", "erin@"),
        (6, "manager", "Erin Evans"),
    ]
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert [m.unit for m in Membership.objects.filter(person=small_org.bob)] == [small_org.alpha]
    assert [m.unit for m in Membership.objects.filter(person=small_org.charlie)] == [small_org.beta]
    assert unit_of("Alice Adams") == "Team Gamma"
    assert ("Dana Diaz", "manager", "Team Gamma") in roles()
    assert not Unit.objects.filter(name="Team Zeta").exists()
    after = stored()
    assert after["Membership"] != before["Membership"]  # Alice moved, and Dana joined
    assert Person.objects.filter(full_name__in=["Erin Evans", "Zed Zulu"]).count() == 0


def test_one_file_builds_the_whole_org_tree_of_an_empty_install(acme, tmp_path):
    path = org_file(tmp_path, *TREE_ROWS, header=FULL)
    report = importing("org", path, create_people=True, source="salesforce", as_of=MOVE_DAY)

    assert report.committed, report.errors
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    assert tree() == {
        "Acme": "company",  # named as in the settings: there was no company unit
        "Acme / EMEA": "region",
        "Acme / EMEA / DACH": "department",
        "Acme / EMEA / DACH / DACH Enterprise": "team",
        "Acme / EMEA / DACH / DACH SMB": "team",
        "Acme / Americas": "region",
        "Acme / Americas / US East": "team",
    }
    people = {p.full_name: (p.email, p.user_id, unit_of(p.full_name)) for p in Person.objects.all()}
    assert people == {
        "Greta Graf": ("greta@acme.test", None, "DACH Enterprise"),
        "Hans Huber": ("", None, "DACH Enterprise"),  # no e-mail (no login until given one)
        "Ida Ilic": ("ida@acme.test", None, "DACH SMB"),
        "Vic Vance": ("", None, "US East"),
        "Uma Ueda": ("uma@acme.test", None, "US East"),
        "Sam Sales-Ops": ("sam@acme.test", None, "Acme"),
    }
    # Named managers manage their teams; everyone else on a row is a rep, but Sam ("none").
    assert roles() == {
        ("Greta Graf", "manager", "DACH Enterprise"),
        ("Greta Graf", "manager", "DACH SMB"),
        ("Uma Ueda", "manager", "US East"),
        ("Hans Huber", "rep", ""),
        ("Ida Ilic", "rep", ""),
        ("Vic Vance", "rep", ""),
    }
    assert everything()["CrmIdentity"] == [
        ("Greta Graf", "salesforce", "0055e000001AbCd"),
        ("Hans Huber", "salesforce", HANS_15),
    ]
    assert report.notes == [
        "created: people 6, company 1, regions 2, departments 1, teams 3, rep roles 3, "
        "manager roles 3, CRM ids 2",
        'there was no company unit: "Acme" (the name in the organisation settings) was '
        "created at the top of the tree",
    ]


def test_importing_the_whole_tree_again_changes_nothing(acme, tmp_path):
    path = org_file(tmp_path, *TREE_ROWS, header=FULL)
    importing("org", path, create_people=True, source="salesforce", as_of=MOVE_DAY)
    before = everything()

    later = MOVE_DAY + dt.timedelta(days=10)
    again = importing("org", path, create_people=True, source="salesforce", as_of=later)

    assert again.committed, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert again.notes == []
    assert everything() == before


def test_a_refused_file_changes_nothing_and_a_dry_run_only_counts(acme, tmp_path):
    before = everything()
    bad = [*TREE_ROWS, ["Xena Xu", "xena@acme.test", "US East", "", "", "", "", "boss"]]
    report = importing(
        "org", org_file(tmp_path, *bad, header=FULL), create_people=True, source="salesforce"
    )

    assert report.failed and not report.committed
    assert [(e.row, e.column, e.value) for e in report.errors] == [(8, "role", "boss")]
    assert report.errors[0].reason == "unknown role (known: rep, manager, none)"
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert everything() == before

    dry = importing(
        "org",
        org_file(tmp_path, *TREE_ROWS, header=FULL),
        create_people=True,
        source="salesforce",
        dry_run=True,
    )
    assert (dry.created, dry.committed) == (6, False)
    assert dry.notes[0].startswith("would be created: people 6, company 1, regions 2")
    assert everything() == before


def test_a_parent_naming_the_company_attaches_to_it(company, tmp_path):
    path = org_file(
        tmp_path,
        ["Ann Alder", "", "Inside Sales", "", "NORTHWIND"],  # the company, in any case
        ["Ben Birch", "", "Field Sales", "", ""],  # only a team's name, as CRMs export them
        ["Cy Cedar", "", "Field Sales", "", ""],
    )
    report = importing("org", path, create_people=True, as_of=MOVE_DAY)

    assert report.committed, report.errors
    assert tree() == {
        "Northwind": "company",
        "Northwind / Inside Sales": "team",
        "Northwind / Field Sales": "team",
    }
    assert report.notes == [
        "created: people 3, teams 2, rep roles 3",
        "1 team created directly under the company, as the file gives no parent_unit or "
        "region: Field Sales",
    ]


def test_a_parent_path_is_followed_level_by_level_and_ambiguous_names_are_refused(
    small_org, tmp_path
):
    path = org_file(
        tmp_path,
        ["Alice Adams", "", "West Enterprise", "", "Americas / West"],
        ["Bob Brown", "", "West SMB", "", "Northwind > Americas > West"],
        ["Charlie Chen", "", "EMEA West", "", "EMEA / West"],
    )
    report = importing("org", path, as_of=MOVE_DAY)

    assert report.committed, report.errors
    assert {path: kind for path, kind in tree().items() if "West" in path or "EMEA" in path} == {
        "Northwind / Americas / West": "department",
        "Northwind / Americas / West / West Enterprise": "team",
        "Northwind / Americas / West / West SMB": "team",
        "Northwind / EMEA": "region",
        "Northwind / EMEA / West": "department",
        "Northwind / EMEA / West / EMEA West": "team",
    }
    before = stored()
    path = org_file(
        tmp_path,
        ["Alice Adams", "", "West Mid", "", "West"],
        ["Bob Brown", "", "Alpha One", "", "Team Alpha"],
        ["Charlie Chen", "", "Team Omega", "", "Americas / Northwind"],
        name="bad.csv",
    )
    report = importing("org", path, as_of=MOVE_DAY)

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "parent_unit", 'several units have this name (Americas / West; EMEA / West): '
         'write its path, e.g. "Americas / West"'),
        (3, "parent_unit", "Americas / Team Alpha is a team: teams hold people, not other units"),
        (4, "parent_unit", "names the company, which is the top of the tree: it cannot be "
         "under Americas"),
    ]  # fmt: skip
    assert stored() == before


def test_a_team_named_by_several_units_needs_its_parent(small_org, tmp_path):
    emea = Unit.objects.create(name="EMEA", kind=Unit.Kind.REGION, parent=small_org.company)
    Unit.objects.create(name="Team Beta", kind=Unit.Kind.TEAM, parent=emea)
    path = org_file(tmp_path, ["Alice Adams", "", "Team Beta", "", ""])

    report = importing("org", path, as_of=MOVE_DAY)

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "team", "several units have this name (Americas / Team Beta; EMEA / Team Beta): "
         "give parent_unit"),
    ]  # fmt: skip


def test_roles_reps_by_default_managers_by_name_or_by_the_role_column(small_org, tmp_path):
    header = ["person", "team", "manager", "parent_unit", "role"]
    path = org_file(
        tmp_path,
        ["Alice Adams", "Team Alpha", "", "", ""],  # already a rep: unchanged
        ["Dana Diaz", "Team Beta", "", "", "Manager"],  # manages her own team
        ["Erin Evans", "Team Beta", "", "", "none"],
        ["Finn Fox", "Team Gamma", "Finn Fox", "Americas", "rep"],  # a player-coach
        ["Gail Gray", "Team Gamma", "finn fox", "Americas", ""],
        ["Mia Manager", "Team Alpha", "", "", ""],  # manages Alpha already: no rep
        header=header,
    )
    report = importing("org", path, create_people=True, as_of=MOVE_DAY)

    assert report.committed, report.errors
    assert (report.created, report.updated, report.unchanged) == (4, 0, 2)
    new = {r for r in roles() if r[0] in ("Dana Diaz", "Erin Evans", "Finn Fox", "Gail Gray")}
    assert new == {
        ("Dana Diaz", "manager", "Team Beta"),
        ("Finn Fox", "manager", "Team Gamma"),
        ("Finn Fox", "rep", ""),
        ("Gail Gray", "rep", ""),
    }
    mia = {r for r in roles() if r[0] == "Mia Manager"}
    assert mia == {("Mia Manager", "manager", "Team Alpha")}
    assert report.notes == ["created: people 4, teams 1, rep roles 2, manager roles 2"]

    # Charlie becomes the manager of Team Beta: a role given is an update of his row.
    path = org_file(tmp_path, ["Charlie Chen", "Team Beta", "", "", "manager"], header=header,
                    name="again.csv")  # fmt: skip
    report = importing("org", path, as_of=MOVE_DAY)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert ("Charlie Chen", "manager", "Team Beta") in roles()


def test_people_without_an_email_get_theirs_from_a_later_file(small_org, tmp_path):
    first = org_file(tmp_path, ["Hans Huber", "", "Team Beta", "", ""])
    assert importing("org", first, create_people=True, as_of=MOVE_DAY).committed
    hans = Person.objects.get(full_name="Hans Huber")
    assert (hans.email, hans.user) == ("", None)

    later = org_file(tmp_path, ["hans huber", "Hans@Example.com", "Team Beta", "", ""],
                     name="later.csv")  # fmt: skip
    report = importing("org", later, as_of=MOVE_DAY)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    hans.refresh_from_db()
    assert hans.email == "hans@example.com"


def test_an_email_of_another_person_is_refused(small_org, tmp_path):
    importing("org", org_file(tmp_path, ["Hans Huber", "", "Team Beta", "", ""]),
              create_people=True, as_of=MOVE_DAY)  # fmt: skip
    before = stored()
    path = org_file(
        tmp_path,
        ["Hans Huber", "alice@example.com", "Team Beta", "", ""],  # Alice's
        ["Bob Brown", "bobby@example.com", "Team Alpha", "", ""],  # Bob has another one
        name="bad.csv",
    )
    report = importing("org", path, as_of=MOVE_DAY)

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "email", "this e-mail is Alice Adams's, another person"),
        (3, "email", "Bob Brown has the e-mail bob@example.com (if theirs changed, change it "
         "in the admin; for a namesake, add them there first)"),
    ]  # fmt: skip
    assert stored() == before


def test_a_crm_id_column_needs_the_crm_it_comes_from(small_org, tmp_path):
    before = everything()
    path = org_file(tmp_path, ["Alice Adams", "", "Team Alpha", "", "", "", "123", ""],
                    header=FULL)  # fmt: skip

    report = importing("org", path, as_of=MOVE_DAY)

    assert report.failed and report.aborted
    assert [(e.row, e.column) for e in report.errors] == [(1, "crm_id")]
    assert report.errors[0].reason == (
        "a crm_id column holds user ids of a CRM: say which "
        "(give --source hubspot, salesforce or pipedrive)"
    )
    assert everything() == before
    web = importing("org", path, as_of=MOVE_DAY, hints=Hints(web=True))
    assert 'fill in "Exported from"' in web.errors[0].reason
    assert importing("org", path, as_of=MOVE_DAY, preset="hubspot").committed


def test_crm_ids_are_stored_changed_and_refused_when_another_person_holds_them(small_org, tmp_path):
    def org(*rows, name):
        return org_file(tmp_path, *rows, header=["person", "team", "owner_id"], name=name)

    first = org(["Alice Adams", "Team Alpha", "101"], ["Bob Brown", "Team Alpha", "102"],
                name="first.csv")  # fmt: skip
    assert importing("org", first, source="hubspot", as_of=MOVE_DAY).notes == ["created: CRM ids 2"]

    second = org(
        ["Alice Adams", "Team Alpha", "111"],  # a new id: updated
        ["Charlie Chen", "Team Beta", "102"],  # Bob's
        ["Bob Brown", "Team Alpha", "102"],
        name="second.csv",
    )
    report = importing("org", second, source="hubspot", skip_bad=True, as_of=MOVE_DAY)

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "owner_id", "this user id is Bob Brown's, another person")
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert everything()["CrmIdentity"] == [
        ("Alice Adams", "hubspot", "111"),
        ("Bob Brown", "hubspot", "102"),
    ]


def test_deal_owners_written_as_crm_user_ids_match_the_people_of_the_org_file(acme, tmp_path):
    org = org_file(tmp_path, *TREE_ROWS, header=FULL)
    assert importing("org", org, create_people=True, source="salesforce").committed
    deals = write_csv(
        tmp_path / "deals.csv",
        [
            ["external_id", "owner", "stage", "created", "closed", "amount"],
            ["006A", HANS_18, "Closed Won", "2026-07-01", "2026-07-20", "1000"],  # 18 characters
            ["006B", HANS_15, "Closed Won", "2026-07-02", "2026-07-21", "500"],  # as in the org
        ],
    )

    report = importing("deals", deals, source="salesforce")

    assert report.committed, report.errors
    assert [d.owner.full_name for d in Deal.objects.order_by("external_id")] == [
        "Hans Huber",
        "Hans Huber",
    ]


def test_imported_reps_are_the_people_of_the_metric_by_person(company, tmp_path):
    org = org_file(
        tmp_path,
        ["Ann Alder", "", "Inside Sales", "Mo Maple", "Northwind"],
        ["Ben Birch", "", "Inside Sales", "Mo Maple", "Northwind"],
        ["Mo Maple", "mo@northwind.test", "Inside Sales", "", "Northwind"],
    )
    assert importing("org", org, create_people=True, as_of=MOVE_DAY).committed
    deals = write_csv(
        tmp_path / "deals.csv",
        [
            ["external_id", "owner", "stage", "created", "closed", "amount"],
            ["d1", "Ann Alder", "won", "2026-07-01", "2026-07-20", "1000"],
            ["d2", "ben birch", "won", "2026-07-02", "2026-07-21", "250"],
        ],
    )
    assert importing("deals", deals).committed

    rows = json.loads(run_command("metric revenue_won --period 2026 --format json"))["rows"]

    # The reps, and not their manager, are the people the metric lists.
    assert [(r["person"], r["email"], r["value"]) for r in rows] == [
        ("Ann Alder", "", "1000.00"),
        ("Ben Birch", "", "250.00"),
    ]
