"""The apps form layers with one direction: each imports only from the layers below it.

    planning < jobs < org < ledger < integrations < metrics < goals < tracking < coaching, rewards
             < notifications < hooks < workbook < api < web, console, sso < demo < bench

with the shared modules (``config``, ``fields``, ``tabular``, ``presentation`` …) at the
bottom beside planning. Imports inside functions count too: a lazy import is still a
dependency. Tests and migrations are left out. ``docs/architecture.md`` draws the picture.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]

LAYERS: list[set[str]] = [
    {"planning"},
    {"jobs"},  # work off the request path: every app may queue a job
    {"org"},
    {"ledger"},
    {"integrations"},  # live CRM sync: writes through the ledger's importers
    {"metrics"},
    {"goals"},
    {"tracking"},
    {"coaching", "rewards"},
    {"notifications"},  # in-app, e-mail and chat notices of what happened below
    {"hooks"},  # outbound webhooks: signed deliveries of the same events
    {"workbook"},
    {"api"},  # the JSON API: beside the pages, below console (its token command)
    {"web", "console", "sso"},  # sso: single sign-on (OpenID Connect), the login page's
    {"demo"},
    {"bench"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
# The project's entry points sit above everything.
TOP = {"cli", "urls", "wsgi", "settings", "__main__", "conftest", "test_settings"}
# Shared bottom modules that are packages: no layer of their own, planning only below them.
SHARED_PACKAGES = {"explanations"}
# web/management/commands/serve.py prints the demo's logins when the demo is loaded.
ALLOWED = {("web", "demo")}


def production_modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def owner(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


def imported_apps(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "pacesetter" and len(parts) > 1:
                yield node.lineno, parts[1]
                break  # one per import statement


def dependencies() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for path in production_modules():
        source = owner(path)
        for line, target in imported_apps(path):
            known = (PACKAGE / target).exists() or (PACKAGE / f"{target}.py").exists()
            if known and target != source:
                where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                edges.setdefault((source, target), []).append(where)
    return edges


def test_every_app_has_a_layer():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} - {"tests"}
    missing = apps - set(RANK) - {"locale"} - SHARED_PACKAGES
    assert not missing, f"give these packages a layer in LAYERS: {sorted(missing)}"


def test_apps_import_only_from_lower_layers():
    wrong = []
    for (source, target), places in sorted(dependencies().items()):
        if source in TOP or (source, target) in ALLOWED:
            continue
        if source not in RANK:  # a shared bottom module: may use planning only
            if target in RANK and target != "planning":
                wrong.append(f"shared module {source} imports the app {target}: {places}")
            continue
        if target not in RANK:
            continue  # a shared module
        if RANK[target] >= RANK[source]:
            wrong.append(f"{source} imports {target} (not below it): {places}")
    assert not wrong, "\n".join(wrong)


def test_no_app_imports_in_a_circle():
    graph: dict[str, set[str]] = {}
    for source, target in dependencies():
        graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(app for app in graph if reaches(app, app, {app}))
    assert not circles, f"apps in an import circle: {circles}"


def test_the_layer_picture_catches_an_upward_import(tmp_path):
    """The check itself can fail: an import from a higher layer is reported."""
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from pacesetter.tracking.progress import goal_progress\n")
    assert list(imported_apps(module)) == [(2, "tracking")]
    assert RANK["tracking"] > RANK["ledger"]
