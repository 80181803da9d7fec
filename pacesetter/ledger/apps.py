from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "pacesetter.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from pacesetter import data_version, turns
        from pacesetter.ledger import lookups  # noqa: F401  (registers ``__any_of``)
        from pacesetter.ledger.tasks import recount_in_new_time_zone
        from pacesetter.org.signals import time_zone_changed

        time_zone_changed.connect(recount_in_new_time_zone, dispatch_uid="ledger-rollups")
        # On SQLite, a write that waits for the lock says so; imports give way between steps.
        connection_created.connect(turns.install, dispatch_uid="sqlite-turns")
        # The data version (page cache): the write statements this process runs, counted.
        connection_created.connect(data_version.count_writes, dispatch_uid="data-version")
