from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "pacesetter.coaching"
    label = "coaching"
    verbose_name = "Coaching"
