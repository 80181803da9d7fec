from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "pacesetter.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        from pacesetter.ledger import entry_metrics
        from pacesetter.metrics.selectors import manual_entry_metrics

        entry_metrics.register(manual_entry_metrics)
