"""Check-ins: how a rep feels about a goal when it is set or changed (the source's closing
advice): is it realistic, challenging, achievable — each 1 to 5 — and a comment.

A check-in is about one goal, or about a whole period when no single goal is meant.
Answers are kept, never overwritten, so a manager sees how they move over time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pacesetter.goals.models import Goal
from pacesetter.org.models import Person

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class CheckIn(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="check_ins")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    period_start = models.DateField(null=True, blank=True, help_text="When not about one goal.")
    realistic = models.PositiveSmallIntegerField(validators=SCORE)
    challenging = models.PositiveSmallIntegerField(validators=SCORE)
    achievable = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realistic__gte=1, realistic__lte=5)
                & Q(challenging__gte=1, challenging__lte=5)
                & Q(achievable__gte=1, achievable__lte=5),
                name="checkin_scores_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(goal__isnull=False) | Q(period_start__isnull=False),
                name="checkin_about_a_goal_or_period",
            ),
        ]
        indexes = [
            # A team's answers over time: WHERE person_id IN (...) ORDER BY created_at DESC
            models.Index(fields=["person", "created_at"], name="checkin_person_time"),
        ]

    def __str__(self) -> str:
        about = self.goal or self.period_start
        return (
            f"{self.person} on {about}: realistic {self.realistic}, "
            f"challenging {self.challenging}, achievable {self.achievable}"
        )
