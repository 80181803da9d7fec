"""How an import's messages name the option that fixes a problem: a command-line flag for
``pacesetter import``, the import form's field on the web (people there have no flags)."""

from __future__ import annotations

from dataclasses import dataclass

# option → (the command's flag, the web form's field label)
OPTIONS: dict[str, tuple[str, str]] = {
    "map": ("--map", "Column mapping"),
    "date_format": ("--date-format", "Date format"),
    "default_owner": ("--default-owner", "Owner for rows without one"),
    "type_map": ("--type-map", "Activity types"),
    "round_cents": ("--round-cents", "Round amounts to cents"),
    "decimal_comma": ("--decimal-comma", "Numbers use a decimal comma"),
    "create_people": ("--create-people", "Create people who are not known yet"),
    "source": ("--source", "Exported from"),
    "won_stages": ("--won-stages", "Won stages"),
    "lost_stages": ("--lost-stages", "Lost stages"),
    "stages_strict": ("--stages-strict", "Refuse unknown stages"),
    "skip_bad": ("--skip-bad", "Import the good rows even if some are bad"),
    "encoding": ("--encoding", "Encoding"),
}


@dataclass(frozen=True)
class Hints:
    """Names options for the audience: ``Hints()`` for the CLI, ``Hints(web=True)``."""

    web: bool = False

    def option(self, name: str, example: str = "") -> str:
        """``give --date-format %d/%m/%Y`` or ``fill in "Date format" (e.g. %d/%m/%Y)``."""
        flag, label = OPTIONS[name]
        if self.web:
            return f'fill in "{label}"' + (f" (e.g. {example})" if example else "")
        return f"give {flag}" + (f" {example}" if example else "")

    def name(self, name: str) -> str:
        """Just the option's name: ``--map`` or ``"Column mapping"``."""
        flag, label = OPTIONS[name]
        return f'"{label}"' if self.web else flag


CLI = Hints()
