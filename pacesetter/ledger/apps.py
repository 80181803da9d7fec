from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "pacesetter.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from pacesetter.ledger import lookups  # noqa: F401  (registers ``__any_of``)
