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
from django.utils.translation import gettext_lazy as _

from pacesetter.goals.models import Goal
from pacesetter.org.models import Person

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class CheckIn(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="check_ins")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    period_start = models.DateField(null=True, blank=True, help_text=_("When not about one goal."))
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


# --- mentoring (M8) -----------------------------------------------------------------------


class Mentorship(models.Model):
    """When a mentor began (and stopped) mentoring someone, and what it is about.

    The relationship itself is the org's ``Role(kind="mentor", mentee=…)``: that is what the
    access rules read, so a mentor sees their mentees' development goals exactly while the
    role exists. This row adds what a role cannot hold — dates, a focus, who arranged it —
    and outlives the role when the mentoring ends, so a mentor's scorecard for a past month
    still credits the mentees they had then. ``ended_on`` is the first day no longer
    mentoring (like a membership's ``valid_to``); empty while it lasts.
    """

    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentorships_given")
    mentee = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentorships_received"
    )
    started_on = models.DateField()
    ended_on = models.DateField(
        null=True, blank=True, help_text=_("First day no longer mentoring; empty while ongoing.")
    )
    focus = models.CharField(
        max_length=300, blank=True, help_text=_("What the mentee works on with this mentor.")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentorship_no_self_mentoring"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="mentorship_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(ended_on__isnull=True),
                name="mentorship_one_open_per_pair",
            ),
        ]
        indexes = [
            # A mentor's mentees in a period (mentee_credit): WHERE mentor_id = ? AND started_on < ?
            models.Index(fields=["mentor", "started_on"], name="mentorship_mentor_from"),
            # Someone's mentors (the mentoring page, the list): WHERE mentee_id IN (...)
            models.Index(fields=["mentee", "started_on"], name="mentorship_mentee_from"),
        ]

    def __str__(self) -> str:
        end = self.ended_on.isoformat() if self.ended_on else "…"
        return f"{self.mentor} mentors {self.mentee} {self.started_on.isoformat()}–{end}"


class MentoringCheckIn(models.Model):
    """A mentor's notes of one conversation with a mentee, and the next steps agreed.

    Written by the mentor; read by the mentor who wrote them and by the mentee. Managers
    see that conversations happen (how many, when), not what was said: mentoring works when
    a struggling rep can speak freely.
    """

    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring_given")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentoring_received")
    met_on = models.DateField()
    notes = models.TextField(max_length=4000)
    next_steps = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on", "-id"]
        verbose_name = _("mentoring check-in")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentoringcheckin_not_self"
            ),
            models.CheckConstraint(condition=~Q(notes=""), name="mentoringcheckin_has_notes"),
        ]
        indexes = [
            # The notes about a mentee, newest first: WHERE mentee_id = ? ORDER BY met_on DESC
            models.Index(fields=["mentee", "met_on"], name="mentoringcheckin_mentee"),
            # A mentor's notes: WHERE mentor_id = ? ORDER BY met_on DESC
            models.Index(fields=["mentor", "met_on"], name="mentoringcheckin_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} with {self.mentee} on {self.met_on.isoformat()}"


class GoalAgreement(models.Model):
    """Who a development goal was agreed with: M8 asks for "a framework of development goals
    agreed with the mentor". The goal itself is an ordinary ``Goal(kind="development")``."""

    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="agreement")
    mentor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_on = models.DateField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"{self.goal} agreed with {self.mentor or 'the manager'} on {self.agreed_on}"
