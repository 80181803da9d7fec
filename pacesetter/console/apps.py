from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The ``pacesetter`` commands: the top layer beside the web pages."""

    name = "pacesetter.console"
    label = "console"
    verbose_name = "Commands"
