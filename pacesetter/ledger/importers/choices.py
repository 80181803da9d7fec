"""What an import's options choose, checked before a row is read: the preset, the default
owner, the exchange rates, the activity type a whole export implies, the source's name. A
bad choice refuses the file (``ImportFileError``) or the call (``ValueError``)."""

from __future__ import annotations

from decimal import Decimal

from pacesetter.ledger.importers.options import ImportOptions
from pacesetter.ledger.importers.parsing import CellError, People, exchange_rates, norm
from pacesetter.ledger.importers.presets import PRESETS, Preset
from pacesetter.ledger.importers.report import ImportFileError, RowError


def preset_of(kind: str, name: str | None) -> Preset | None:
    if name is None:
        return None
    preset = PRESETS.get(name)
    if preset is None:
        raise ValueError(f"unknown preset {name!r} (use {', '.join(PRESETS)})")
    if kind not in preset.kinds and kind != "org":  # org: the preset names the crm_id's CRM
        kinds = ", ".join(preset.kinds)
        raise ValueError(f"the {name} preset maps {kinds}, not {kind}: use --map instead")
    return preset


def default_owner_of(people: People, options: ImportOptions) -> int | None:
    """The person named by ``default_owner``; an unknown one refuses the file."""
    if not options.default_owner:
        return None
    try:
        return people.require(options.default_owner)
    except CellError as error:
        name = options.hints.name("default_owner")
        raise ImportFileError(RowError(1, "", options.default_owner, f"{name}: {error}")) from None


def rates_of(options: ImportOptions) -> dict[str, Decimal]:
    """The import's exchange rates; a bad one refuses the file."""
    try:
        return exchange_rates(options.rates)
    except CellError as error:
        given = ", ".join(f"{code}={rate}" for code, rate in options.rates.items())
        reason = f"{options.hints.name('rate')}: {error}"
        raise ImportFileError(RowError(1, "", given, reason)) from None


def implied_type(preset: Preset | None, header: list[str]) -> str | None:
    """The activity kind a whole export implies (a HubSpot calls export has call columns)."""
    if preset is None:
        return None
    columns = {norm(name) for name in header}
    for column, kind in preset.implied_types:
        if norm(column) in columns:
            return kind
    return None


def check_source(source: str) -> None:
    if not source or len(source) > 32 or not source.replace("-", "_").isidentifier():
        raise ImportFileError(RowError(1, "", source, "--source must be a short name (letters, "
                                       "digits, - and _; at most 32 characters)"))  # fmt: skip
