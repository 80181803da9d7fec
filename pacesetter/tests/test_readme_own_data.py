"""The README's "Your own data" quick start, run as written on an empty database: its CSV
files are written out, its commands run in order, and each prints what the README shows
(an output of ``…`` is only checked to run; import times are not compared)."""

from __future__ import annotations

import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from pacesetter.ledger.models import Deal
from pacesetter.org.models import Person, Role, Unit

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "### Your own data"


def quick_start() -> tuple[dict[str, str], list[tuple[str, list[str] | None]]]:
    """The section's files (```csv NAME blocks) and console commands with their output."""
    text = README.read_text()
    start = text.index(SECTION)
    section = text[start : text.index("\n## ", start)]
    files = dict(re.findall(r"```csv (\S+)\n(.*?)```", section, re.S))
    commands: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
    return files, [(cmd, None if out == ["…"] else out) for cmd, out in commands]


def _timeless(lines: list[str]) -> list[str]:
    return [re.sub(r"imported in \d+\.\d s", "imported in N s", line) for line in lines]


@pytest.mark.django_db
def test_the_readme_quick_start_from_an_empty_database_to_revenue_per_rep(tmp_path, monkeypatch):
    assert not Unit.objects.exists() and not Person.objects.exists()
    files, commands = quick_start()
    assert set(files) == {"people.csv", "deals.csv"}
    for name, body in files.items():
        (tmp_path / name).write_text(body)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACESETTER_ADMIN_PASSWORD", "a-long-Password-42")
    verbs = []
    for command, expected in commands:
        program, name, *args = shlex.split(command)
        assert program == "pacesetter"
        verbs.append(name)
        out = StringIO()
        call_command(name, *args, stdout=out)
        printed = out.getvalue().rstrip("\n").splitlines()
        if expected is None:
            assert printed, f"{command} printed nothing"
        else:
            assert _timeless(printed) == _timeless(expected), command

    assert verbs == ["setup", "import", "import", "metric"]
    assert authenticate(username="ops", password="a-long-Password-42") is not None
    team = Unit.objects.get(name="Inbound")
    assert (team.parent.name, team.parent.parent.name) == ("Americas", "Acme")
    reps = Role.objects.filter(kind="rep").values_list("person__full_name", flat=True)
    assert sorted(reps) == ["Dana Reyes", "Eli Brooks"]
    assert Deal.objects.get(external_id="503").owner.full_name == "Eli Brooks"  # by owner id
