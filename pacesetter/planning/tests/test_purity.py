"""The planning core is plain Python: standard library only, and never Django."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def _imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_planning_modules_import_only_the_standard_library_and_each_other() -> None:
    sources = [p for p in PACKAGE.glob("*.py")]
    assert len(sources) >= 10
    outside = {
        f"{path.name}: {module}"
        for path in sources
        for module in _imported_top_modules(path)
        if module not in sys.stdlib_module_names and module != "__future__"
    }
    assert outside == set()


def test_no_planning_file_grows_past_four_hundred_lines() -> None:
    too_long = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > 400
    }
    assert too_long == {}
