from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "pacesetter.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        # From here on, str() of a planning explanation is in the reader's language.
        from pacesetter import explanations  # noqa: F401
