from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pacesetter.web"
    label = "web"
    verbose_name = "Web app"
