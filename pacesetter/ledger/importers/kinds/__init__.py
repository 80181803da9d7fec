"""What each import kind's rows hold, and how a row becomes a validated ``Staged`` row.

The fields of each kind (``fields``) are the vocabulary of ``--map field=column``. A parser
(one module per kind) reads the cells of one row (no database access beyond cached
look-ups), collects one error per bad cell, and either rejects the whole row or stages it
for its batch; accounts named by rows are looked up once per batch (``resolve``). Org
files are not ledger rows: see ``importers.org``.
"""

from pacesetter.ledger.importers.kinds.accounts import AccountParser
from pacesetter.ledger.importers.kinds.activities import ActivityParser
from pacesetter.ledger.importers.kinds.base import RowParser
from pacesetter.ledger.importers.kinds.deals import DealParser
from pacesetter.ledger.importers.kinds.entries import EntryParser

PARSERS: dict[str, type[RowParser]] = {
    "activities": ActivityParser,
    "deals": DealParser,
    "accounts": AccountParser,
    "entries": EntryParser,
}
