"""What the org tells the layers above it.

``time_zone_changed`` is sent (synchronously, inside the request or command that saved the
settings) when the org's time zone changed. Months are the org's: an e-mail at 23:30 on
31 January in New York is January's, and in another zone some facts fall into other months.
The ledger listens and recounts its monthly rollups (``ledger.apps.LedgerConfig.ready``);
the org itself knows nothing of them.
"""

from django.dispatch import Signal

time_zone_changed = Signal()
