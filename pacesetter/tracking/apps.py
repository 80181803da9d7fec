from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "pacesetter.tracking"
    label = "tracking"
    verbose_name = "Tracking"
