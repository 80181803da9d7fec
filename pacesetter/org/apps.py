from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "pacesetter.org"
    label = "org"
    verbose_name = "Organisation"
