from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "pacesetter.goals"
    label = "goals"
    verbose_name = "Plans and goals"
