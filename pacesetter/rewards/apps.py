from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "pacesetter.rewards"
    label = "rewards"
    verbose_name = "Rewards"
