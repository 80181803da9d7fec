from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pacesetter.jobs"
    label = "jobs"
    verbose_name = "Tasks"
