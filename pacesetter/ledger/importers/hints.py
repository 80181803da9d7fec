"""How an import's messages name the option that fixes a problem: a command-line flag for
``pacesetter import``, the import form's field on the web (people there have no flags)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# option → (the command's flag, the web form's field label, as the form translates it)
OPTIONS: dict[str, tuple[str, Promise]] = {
    "map": ("--map", gettext_lazy("Column mapping")),
    "date_format": ("--date-format", gettext_lazy("Date format")),
    "default_owner": ("--default-owner", gettext_lazy("Owner for rows without one")),
    "type_map": ("--type-map", gettext_lazy("Activity types")),
    "round_cents": ("--round-cents", gettext_lazy("Round amounts to cents")),
    "decimal_comma": ("--decimal-comma", gettext_lazy("Numbers use a decimal comma")),
    "create_people": ("--create-people", gettext_lazy("Create people who are not known yet")),
    "source": ("--source", gettext_lazy("Exported from")),
    "won_stages": ("--won-stages", gettext_lazy("Won stages")),
    "lost_stages": ("--lost-stages", gettext_lazy("Lost stages")),
    "stages_strict": ("--stages-strict", gettext_lazy("Refuse unknown stages")),
    "skip_bad": ("--skip-bad", gettext_lazy("Import the good rows even if some are bad")),
    "encoding": ("--encoding", gettext_lazy("Encoding")),
    "rate": ("--rate", gettext_lazy("Exchange rates")),
}


@dataclass(frozen=True)
class Hints:
    """Names options for the audience: ``Hints()`` for the CLI, ``Hints(web=True)``."""

    web: bool = False

    def option(self, name: str, example: str = "") -> str:
        """``give --date-format %d/%m/%Y`` or ``fill in "Date format" (e.g. %d/%m/%Y)``."""
        flag, label = OPTIONS[name]
        if self.web and example:
            return _('fill in "%(label)s" (e.g. %(example)s)') % {
                "label": label,
                "example": example,
            }
        if self.web:
            return _('fill in "%(label)s"') % {"label": label}
        return f"give {flag}" + (f" {example}" if example else "")

    def name(self, name: str) -> str:
        """Just the option's name: ``--map`` or ``"Column mapping"``."""
        flag, label = OPTIONS[name]
        return _('"%(label)s"') % {"label": label} if self.web else flag


CLI = Hints()


def or_list(items: Iterable[str]) -> str:
    """``'Type' or 'Activity type'``: the alternatives, in the reader's language."""
    return _(" or ").join(items)
