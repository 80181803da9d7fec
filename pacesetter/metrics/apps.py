from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "pacesetter.metrics"
    label = "metrics"
    verbose_name = "Metrics"
