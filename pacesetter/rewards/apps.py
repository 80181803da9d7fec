from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "pacesetter.rewards"
    label = "rewards"
    verbose_name = "Rewards"

    def ready(self) -> None:
        from pacesetter.ledger.signals import ledger_changed
        from pacesetter.rewards.receivers import recompute_awards

        ledger_changed.connect(recompute_awards, dispatch_uid="rewards-recompute-awards")
