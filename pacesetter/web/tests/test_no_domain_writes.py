"""The web layer calls services and never opens a transaction itself: domain writes live in
the apps below it (``goals/setting.py``, ``ledger/services.py`` …), which keep them atomic."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[1]


def _modules() -> list[Path]:
    return sorted(p for p in WEB.rglob("*.py") if "tests" not in p.relative_to(WEB).parts)


def _mentions_transaction(tree: ast.AST) -> list[int]:
    """The lines naming ``transaction``: an import of it (``django.db.transaction``, ``from
    django.db import transaction``), or any name or attribute of that name."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = getattr(node, "module", None) or ""
            names = [alias.name for alias in node.names]
            if "transaction" in module or any("transaction" in name for name in names):
                lines.append(node.lineno)
        elif (isinstance(node, ast.Name) and node.id == "transaction") or (
            isinstance(node, ast.Attribute) and node.attr in ("transaction", "atomic")
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_the_scan_sees_the_web_modules():
    names = {p.relative_to(WEB).as_posix() for p in _modules()}
    assert {"access.py", "entries.py", "views/goals.py", "forms/goals.py"} <= names
    assert not any(name.startswith("tests/") for name in names)


def test_the_scan_finds_a_transaction():
    code = "from django.db import transaction\n\n@transaction.atomic\ndef f(): pass\n"
    assert _mentions_transaction(ast.parse(code)) == [1, 3]


def test_no_web_module_opens_a_transaction():
    found = {
        p.relative_to(WEB).as_posix(): lines
        for p in _modules()
        if (lines := _mentions_transaction(ast.parse(p.read_text(encoding="utf-8"))))
    }
    plain = [p.relative_to(WEB).as_posix() for p in _modules() if "transaction" in p.read_text()]
    assert found == {}, f"web modules that open a transaction: {found}"
    assert plain == [], f"web modules that mention transaction: {plain}"
