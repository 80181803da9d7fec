from django.apps import AppConfig


class HooksConfig(AppConfig):
    name = "pacesetter.hooks"
    label = "hooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from pacesetter.hooks.receivers import announce_import, scan_after_ledger_change
        from pacesetter.ledger.signals import import_finished, ledger_changed

        ledger_changed.connect(scan_after_ledger_change, dispatch_uid="hooks-scan-ledger")
        import_finished.connect(announce_import, dispatch_uid="hooks-import-finished")
