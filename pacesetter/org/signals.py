"""What the org tells the layers above it.

``time_zone_changed`` is sent (inside the request or command that saved the settings, with
``settings`` and the ``user`` who changed them) when the org's time zone changed. Months are
the org's: an e-mail at 23:30 on 31 January in New York is January's, and in another zone
some facts fall into other months. The ledger listens and queues a recount of its monthly
rollups, run by the worker once the new zone is committed (``ledger.tasks``); the org
itself knows nothing of them.
"""

from django.dispatch import Signal

time_zone_changed = Signal()
