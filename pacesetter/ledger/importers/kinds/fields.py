"""The fields of each import kind and where a file's header has them.

The fields of each kind are the vocabulary of ``--map field=column``; ``resolve_columns``
matches them to a file's header once, before any row is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pacesetter.ledger.importers.hints import CLI, Hints, or_list
from pacesetter.ledger.importers.parsing import norm
from pacesetter.ledger.importers.presets import Preset
from pacesetter.ledger.importers.report import ImportFileError, RowError
from pacesetter.ledger.importers.workbooks import column_letter


@dataclass(frozen=True)
class FieldSpec:
    """A field of an import kind: ``columns`` are the file columns looked for by default."""

    name: str
    required: bool = False
    columns: tuple[str, ...] = ()

    @property
    def default_columns(self) -> tuple[str, ...]:
        return self.columns or (self.name,)


def _f(name: str, required: bool = False, *also: str) -> FieldSpec:
    return FieldSpec(name, required, (name, *also))


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    # An owner comes from its column or the import's default owner; the outcome from
    # status, is_closed/is_won, probability or the stage (at least one of them).
    "deals": (
        _f("external_id", True, "id"), _f("owner"), _f("stage"),
        _f("created", False, "created_on", "created_date", "create_date"),
        _f("closed", False, "closed_on", "close_date", "closed_date"), _f("amount", False, "value"),
        _f("status"), _f("is_closed"), _f("is_won", False, "won?"),
        _f("probability"), _f("modified", False, "modified_on", "updated"),
        _f("account"), _f("segment"), _f("name"), _f("product"),
        _f("currency", False, "currency_code", "currency_iso_code"),
    ),
    # A type comes from its column(s), the kind of export (a calls export), or the import's
    # default type; ``done`` (a status or yes/no) leaves out what was not done.
    "activities": (
        _f("external_id", True, "id"), _f("person"), _f("type", False, "kind"),
        _f("occurred", True, "occurred_at"), _f("done", False, "status"), _f("subject"),
        _f("account"), _f("segment"),
    ),
    "accounts": (
        _f("external_id", True, "id"), _f("name", True), _f("segment"),
        _f("acquired", False, "acquired_on"), _f("churned", False, "churned_on"), _f("owner"),
    ),
    # The weekly template has both an "E-mail" and a "Person" column: the e-mail wins.
    "entries": (
        FieldSpec("person", True, ("email", "e-mail", "person")), _f("metric", True),
        _f("week", True, "week_start"), _f("value", True), _f("note"),
    ),
    "org": (
        _f("person", True, "name", "full_name"), _f("email", False, "e-mail"),
        _f("team", True), _f("manager"), _f("parent_unit", False, "parent"),
        _f("region"), _f("crm_id", False, "user_id", "owner_id"), _f("role"),
    ),
}  # fmt: skip
KINDS = tuple(FIELDS)

# The weekly numbers template (``template.py``) names its columns in the language it was made
# in: "E-mail", "Metric", "Week" … or "电子邮箱", "指标", "周" …. Reading a file back, a field
# is also looked for by these names in every language (after its own names).
TEMPLATE_HEADER: dict[str, Promise] = {
    "person": gettext_lazy("Person"),
    "email": gettext_lazy("E-mail"),
    "metric": gettext_lazy("Metric"),
    "metric_name": gettext_lazy("Metric name"),
    "week": gettext_lazy("Week"),
    "days": pgettext_lazy("weekly template column: the days a row covers", "Days"),
    "value": gettext_lazy("Value"),
    "note": gettext_lazy("Note"),
}
TEMPLATE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "entries": {
        "person": ("email", "person"),
        "metric": ("metric",),
        "week": ("week",),
        "value": ("value",),
        "note": ("note",),
    }
}


def translated_columns(kind: str, field: str) -> tuple[str, ...]:
    """The template's names of a field's columns, in every language (see TEMPLATE_HEADER)."""
    names = []
    for column in TEMPLATE_COLUMNS.get(kind, {}).get(field, ()):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.append(str(TEMPLATE_HEADER[column]))
    return tuple(dict.fromkeys(names))


@dataclass
class ColumnMap:
    """Where each field's value is in a row: candidate indices, the first non-empty wins."""

    indices: dict[str, tuple[int, ...]]
    labels: dict[str, str]  # field → the column name shown in errors
    header: list[str]

    def has(self, name: str) -> bool:
        return name in self.indices

    def label(self, name: str, cells: list[str] | None = None) -> str:
        """The column a field's value came from (of several candidates, the non-empty one)."""
        if cells is not None and len(self.indices.get(name, ())) > 1:
            for i in self.indices[name]:
                if i < len(cells) and cells[i].strip():
                    return self.header[i]
        return self.labels.get(name, name)

    def every(self, name: str, cells: list[str]) -> list[tuple[str, str]]:
        """Every candidate column's (name, value) of a field in a row, non-empty ones."""
        size = len(cells)
        indices = self.indices.get(name, ())
        if len(indices) == 1:  # the usual case, once or twice a row: no list to build
            i = indices[0]
            value = cells[i].strip() if i < size else ""
            return [(self.header[i], value)] if value else []
        return [(self.header[i], cells[i].strip()) for i in indices
                if i < size and cells[i].strip()]  # fmt: skip

    def extract(self, cells: list[str]) -> dict[str, str]:
        found = {}
        size = len(cells)
        for name, indices in self.indices.items():
            value = ""
            for i in indices:
                if i < size:
                    value = cells[i].strip()
                    if value:
                        break
            found[name] = value
        return found


def resolve_columns(
    kind: str,
    header: list[str],
    preset: Preset | None,
    mapping: dict[str, str],
    hints: Hints = CLI,
) -> ColumnMap:
    """Match the kind's fields to the header: ``--map`` first, else the preset's columns,
    else the field's own names (column names compared by ``norm``: ``CloseDate`` is
    ``Close Date``). Raises ``ImportFileError`` naming every missing column."""
    specs = {spec.name: spec for spec in FIELDS[kind]}
    unknown = sorted(set(mapping) - set(specs))
    if unknown:
        reason = _("no such %(kind)s field (fields: %(fields)s)") % {
            "kind": kind,
            "fields": ", ".join(specs),
        }
        raise ImportFileError(RowError(1, "", ", ".join(unknown), reason))
    where, repeated = _header_index(header)
    preset_columns = preset.kinds.get(kind, {}) if preset else {}
    indices: dict[str, tuple[int, ...]] = {}
    labels: dict[str, str] = {}
    errors = []
    for name, spec in specs.items():
        if name in mapping:
            candidates: tuple[str, ...] = (mapping[name],)
            names = candidates
        else:
            # A preset's own columns for the field, else the field's names (and the weekly
            # template's, in every language).
            candidates = preset_columns.get(name) or spec.default_columns
            names = candidates + translated_columns(kind, name)
        found = tuple(dict.fromkeys(where[norm(c)] for c in names if norm(c) in where))
        twice = next((repeated[norm(c)] for c in names if norm(c) in repeated), None)
        if twice is not None:
            errors.append(_repeated(header, twice))
        elif found:
            indices[name] = found
            labels[name] = header[found[0]]
        elif name in mapping:
            reason = _(
                "the column given with %(option)s %(given)s is not in the file (%(columns)s)"
            )
            given = f"{name}={mapping[name]}"
            values = {"option": hints.name("map"), "given": given, "columns": _columns_of(header)}
            errors.append(RowError(1, mapping[name], "", reason % values))
        elif spec.required:
            looked = or_list(repr(c) for c in candidates[:6])
            errors.append(RowError(1, candidates[0], "", missing_column(name, looked, header,
                                                                        hints)))  # fmt: skip
    if errors:
        raise ImportFileError(*errors)
    return ColumnMap(indices, labels, header)


def _header_index(header: list[str]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Each column name (by ``norm``) → its index, and the names the header has more than
    once → all their indices."""
    where: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        key = norm(name)
        if key in where:
            repeated.setdefault(key, [where[key]]).append(i)
        elif key:
            where[key] = i
    return where, repeated


def _repeated(header: list[str], indices: list[int]) -> RowError:
    """A column the import reads is in the header more than once: which is meant?"""
    letters = [column_letter(i + 1) for i in indices]
    both = _("%(first)s and %(last)s") % {"first": ", ".join(letters[:-1]), "last": letters[-1]}
    reason = _(
        "the column %(name)s appears more than once (columns %(letters)s): which one to read "
        "is ambiguous; rename or remove all but one"
    ) % {"name": repr(header[indices[0]]), "letters": both}
    return RowError(1, header[indices[0]], "", reason)


def missing_column(
    name: str, looked: str, header: list[str], hints: Hints, otherwise: str = ""
) -> str:
    """Why a file without a column for ``name`` is refused, and how to fix it (``otherwise``:
    another fix, e.g. an option that gives every row the value)."""
    values = {
        "field": repr(name),
        "looked": looked,
        "columns": _columns_of(header),
        "fix": hints.option("map", f"{name}=COLUMN"),
        "otherwise": otherwise,
    }
    if otherwise:
        return (
            _(
                "missing column for the field %(field)s (looked for %(looked)s; the file has "
                "%(columns)s; %(fix)s), or %(otherwise)s"
            )
            % values
        )
    return (
        _(
            "missing column for the field %(field)s (looked for %(looked)s; the file has "
            "%(columns)s; %(fix)s)"
        )
        % values
    )


def _columns_of(header: list[str], shown: int = 12) -> str:
    names = [repr(h) for h in header if h.strip()]
    if len(names) > shown:
        return _("%(names)s and %(count)s more") % {
            "names": ", ".join(names[:shown]),
            "count": len(names) - shown,
        }
    return ", ".join(names)


FIELDS_BY_NAME: dict[str, list[FieldSpec]] = {}
for _specs in FIELDS.values():
    for _spec in _specs:
        FIELDS_BY_NAME.setdefault(_spec.name, []).append(_spec)


def describe_fields(kind: str) -> list[dict[str, Any]]:
    """The kind's fields for help texts and docs: name, required, default columns."""
    return [
        {"field": s.name, "required": s.required, "columns": list(s.default_columns)}
        for s in FIELDS[kind]
    ]
