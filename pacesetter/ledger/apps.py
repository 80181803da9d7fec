from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "pacesetter.ledger"
    label = "ledger"
    verbose_name = "Ledger"
