"""Guard rails on size: no production module grows past ``MAX_LINES`` lines.

A module that long holds more than one thing; split it by meaning (one module per kind,
per step, per subcommand) rather than letting it grow. Tests and migrations are exempt, and
so are the test-only modules ``conftest.py`` and ``test_settings.py``. Complexity and
argument counts are ruff's job (C901, PLR0913 in pyproject.toml); the planning core keeps a
tighter limit of its own (``planning/tests/test_purity.py``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
MAX_LINES = 600
NOT_PRODUCTION = {"tests", "migrations"}
TEST_ONLY = {"conftest.py", "test_settings.py"}


def production_modules(root: Path = PACKAGE) -> list[Path]:
    """Every Python module under ``root`` that ships as the application."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not NOT_PRODUCTION.intersection(path.relative_to(root).parts[:-1])
        and path.name not in TEST_ONLY
        and not path.name.startswith("test_")
    )


def too_long(paths: list[Path], root: Path = PACKAGE.parent) -> dict[str, int]:
    """The modules over ``MAX_LINES`` lines (path relative to ``root`` → lines)."""
    found = {}
    for path in paths:
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES:
            found[path.relative_to(root).as_posix()] = count
    return found


def test_no_production_module_is_longer_than_600_lines() -> None:
    modules = production_modules()
    assert len(modules) > 100  # the walk found the application, not an empty directory
    over = too_long(modules)
    assert not over, "split by meaning: " + ", ".join(
        f"{name} has {count} lines (limit {MAX_LINES})" for name, count in sorted(over.items())
    )


def test_tests_and_migrations_are_not_counted(tmp_path: Path) -> None:
    for relative in (
        "app/models.py",
        "app/tests/test_models.py",
        "app/tests/support.py",
        "app/migrations/0001_initial.py",
        "conftest.py",
        "test_settings.py",
    ):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    modules = production_modules(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in modules] == ["app/models.py"]


def test_the_failure_names_the_file_and_its_length(tmp_path: Path) -> None:
    long_one = tmp_path / "long.py"
    long_one.write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    short_one = tmp_path / "short.py"
    short_one.write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    assert too_long([long_one, short_one], tmp_path) == {"long.py": MAX_LINES + 1}
