"""The built-in catalog in the code is the one the migrations load."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pacesetter.metrics.catalog import CATALOG
from pacesetter.metrics.models import Metric

REFERENCED_BY_PATH = {
    "pacesetter.fields",
    "pacesetter.org.models",
}  # MoneyField, validate_time_zone
FIELDS = ("label", "description", "source", "aggregation", "filters", "direction", "unit")


@pytest.mark.django_db
def test_the_migrated_catalog_is_the_catalog_in_the_code():
    """A change to ``metrics/catalog.py`` needs a data migration: the frozen rows of
    migration 0002 (and any later one) must end where the code is."""
    stored = {m.name: m for m in Metric.objects.filter(built_in=True)}
    assert sorted(stored) == sorted(entry["name"] for entry in CATALOG)
    for entry in CATALOG:
        metric = stored[entry["name"]]
        assert {f: getattr(metric, f) for f in FIELDS} == {f: entry[f] for f in FIELDS}, entry[
            "name"
        ]


def test_no_migration_imports_code_that_can_change():
    """Migrations freeze the data they insert: they import Django and the standard library,
    and of Pacesetter only what Django writes into them by path: field classes and
    validators. Never data that the code may change later."""
    for path in sorted(Path(__file__).resolve().parents[2].glob("*/migrations/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("pacesetter"):
                    assert name in REFERENCED_BY_PATH, f"{path.parent.parent.name}/{path.name}"
