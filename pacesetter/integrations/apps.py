from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "pacesetter.integrations"
    label = "integrations"
    verbose_name = "Integrations"
