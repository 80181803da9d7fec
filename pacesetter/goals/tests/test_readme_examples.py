"""The README's `pacesetter plan` examples, run against a small demo org, print what it shows.

A ```console block in the README holds `$ pacesetter …` lines, each followed by its output;
an output of `…` means "depends on the data" and is only checked to run without error.
"""

from __future__ import annotations

import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pacesetter.demo.generator import build_demo
from pacesetter.demo.options import DemoOptions

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_examples(section: str = "## Planning") -> list[tuple[str, list[str] | None]]:
    text = README.read_text()
    start = text.index(section)
    end = text.find("\n## ", start + len(section))
    examples: list[tuple[str, list[str] | None]] = []
    in_block = False
    for line in text[start:end].splitlines():
        if line.startswith("```console"):
            in_block = True
        elif line.startswith("```"):
            in_block = False
        elif in_block and line.startswith("$ "):
            examples.append((line[2:], []))
        elif in_block and examples:
            examples[-1][1].append(line)
    return [(cmd, None if out == ["…"] else out) for cmd, out in examples]


def test_the_readme_has_planning_examples_for_every_verb():
    verbs = {shlex.split(cmd)[2] for cmd, _ in readme_examples()}
    assert {
        "funnel",
        "waterfall",
        "cascade",
        "replan",
        "stretch",
        "list",
        "compare",
        "show",
        "activate",
    } <= verbs


@pytest.mark.django_db
def test_every_planning_example_runs_and_prints_what_the_readme_shows():
    build_demo(DemoOptions(reps=10, months=14, seed=7))  # history up to yesterday
    for command, expected in readme_examples():
        program, name, *args = shlex.split(command)
        assert program == "pacesetter"
        out = StringIO()
        call_command(name, *args, stdout=out)
        if expected is not None:
            assert out.getvalue().rstrip("\n").splitlines() == expected, command
        else:
            assert out.getvalue().strip(), f"{command} printed nothing"
