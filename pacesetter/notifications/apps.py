from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "pacesetter.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from pacesetter.goals.signals import goal_target_changed
        from pacesetter.notifications.sources import goal_targets_changed

        goal_target_changed.connect(
            goal_targets_changed, dispatch_uid="notifications-goal-target-changed"
        )
