from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pacesetter.demo"
    label = "demo"
    verbose_name = "Demo org"
