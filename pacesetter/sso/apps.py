from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "pacesetter.sso"
    label = "sso"
    verbose_name = "Single sign-on"
