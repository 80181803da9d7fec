"""The organisation: units in a tree, people, their memberships over time, and roles.

A membership is the half-open interval ``[valid_from, valid_to)``: a person who moves team
on 1 March ends the old membership with ``valid_to = 1 March`` and starts the new one with
``valid_from = 1 March``; ``valid_to`` is empty while the membership lasts. A person belongs
to at most one unit on any day: the database refuses overlaps (a trigger on SQLite, an
exclusion constraint on PostgreSQL; see migration 0002) and ``Membership.clean`` explains them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a known time zone (e.g. Europe/Berlin)") % {"zone": repr(value)}
        )


class OrgSettings(models.Model):
    """The one row of settings for the organisation (pk = 1)."""

    name = models.CharField(max_length=200, default="My company")
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use an ISO 4217 code such as USD or CNY.")],
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    week_start = models.PositiveSmallIntegerField(default=0, choices=WEEKDAYS)
    working_weekdays = models.CharField(
        max_length=7,
        default="01234",
        validators=[RegexValidator(r"^[0-6]{1,7}$", _("Digits 0 (Monday) to 6 (Sunday)."))],
        help_text=_("Working weekdays as digits, 0 = Monday … 6 = Sunday; 01234 is Monday–Friday."),
    )

    pace_on_track = models.PositiveSmallIntegerField(
        default=95,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("On track: at least this percent of the expected-to-date value."),
    )
    pace_at_risk = models.PositiveSmallIntegerField(
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("At risk: at least this percent of expected-to-date (below it: behind)."),
    )
    # Realism (closing advice): a goal's chance of being met, from the rep's own history.
    realism_unlikely_below = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Flag a goal as unlikely when its estimated chance is below this percent."),
    )
    realism_too_easy_above = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Flag a goal as too easy when its estimated chance is above this percent."),
    )
    # Risk (who needs a conversation now): a running goal's chance of still being met.
    risk_top_goals = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Judge each rep's this many most important goals running today."),
    )
    risk_wait_share = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Wait for evidence until this percent of a period's working days have gone."),
    )
    risk_likely_below = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A goal is likely to be missed when its chance is below this percent."),
    )
    risk_savable_from = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A goal can still be saved from this percent (below it, it is lost)."),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("organisation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="orgsettings_single_row"),
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="orgsettings_fiscal_month_valid",
            ),
            models.CheckConstraint(condition=Q(week_start__lte=6), name="orgsettings_week_start"),
            models.CheckConstraint(
                condition=Q(pace_at_risk__lte=models.F("pace_on_track")),
                name="orgsettings_at_risk_below_on_track",
            ),
            models.CheckConstraint(
                condition=Q(realism_unlikely_below__lt=models.F("realism_too_easy_above"))
                & Q(realism_too_easy_above__lte=100),
                name="orgsettings_realism_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(risk_savable_from__lt=models.F("risk_likely_below"))
                & Q(risk_likely_below__lte=100)
                & Q(risk_wait_share__lte=100)
                & Q(risk_top_goals__gte=1),
                name="orgsettings_risk_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> OrgSettings:
        """The settings row, created with defaults the first time it is asked for."""
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def working_weekday_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.working_weekdays)


class Holiday(models.Model):
    """A day off for the whole organisation: not a working day for pace and plans."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Unit(models.Model):
    """A node of the org tree: the company at the root, then regions/departments, then teams."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        REGION = "region", _("Region")
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent"),
            # The company is the only root; every other unit hangs below another.
            models.CheckConstraint(
                condition=Q(kind="company", parent__isnull=True)
                | (~Q(kind="company") & Q(parent__isnull=False)),
                name="unit_company_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the sales org: a rep, a manager, a mentor. ``user`` is their login, if any."""

    full_name = models.CharField(max_length=200)
    # Empty for people known only by name (a CRM export names owners, not addresses); a
    # person needs one to log in. Unique when given (constraint below).
    email = models.EmailField(blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    hire_date = models.DateField(null=True, blank=True)
    leave_date = models.DateField(
        null=True, blank=True, help_text=_("Last day with the company, when known.")
    )
    # The language of what Pacesetter writes to them (the digest e-mail); chosen with the
    # pages' language switcher or in the admin. Empty: the site's (``LANGUAGE_CODE``).
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        default="",
        choices=settings.LANGUAGES,
        help_text=_("For e-mails such as the digest; empty: the site's default language."),
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(leave_date__isnull=True)
                | Q(hire_date__isnull=True)
                | Q(leave_date__gte=models.F("hire_date")),
                name="person_leaves_after_hire",
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_email_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def language_code(self) -> str:
        """The language to write to them in: their own, else the site's."""
        return self.language or settings.LANGUAGE_CODE

    def is_employed_on(self, day: dt.date) -> bool:
        started = self.hire_date is None or self.hire_date <= day
        return started and (self.leave_date is None or day <= self.leave_date)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def on(self, day: dt.date) -> MembershipQuerySet:
        """Memberships in force on ``day``."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def overlapping(self, start: dt.date, end: dt.date | None) -> MembershipQuerySet:
        """Memberships that share at least one day with ``[start, end)``."""
        qs = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        return qs if end is None else qs.filter(valid_from__lt=end)


class Membership(models.Model):
    """A person belongs to a unit from ``valid_from`` (inclusive) to ``valid_to`` (exclusive)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("First day no longer in the unit; empty while ongoing.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["person", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="membership_ends_after_start",
            ),
            # At most one open-ended membership per person (the rest: see the module docstring).
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="membership_one_open_per_person",
            ),
        ]
        indexes = [
            # "Who was in unit U on day D": WHERE unit_id = U AND valid_from <= D ...
            models.Index(fields=["unit", "valid_from"], name="membership_unit_from"),
            # "Which unit was person P in on day D": WHERE person_id = P AND valid_from <= D ...
            models.Index(fields=["person", "valid_from"], name="membership_person_from"),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.person} in {self.unit} {self.valid_from.isoformat()}–{end}"

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_from and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("The membership must end after it starts.")})
        if self.person_id is None or self.valid_from is None:
            return
        clash = (
            Membership.objects.filter(person_id=self.person_id)
            .exclude(pk=self.pk)
            .overlapping(self.valid_from, self.valid_to)
            .select_related("unit")
            .first()
        )
        if clash is not None:
            values = {"person": self.person, "unit": clash.unit, "start": clash.valid_from}
            if clash.valid_to:
                message = _(
                    "%(person)s is already in %(unit)s from %(start)s to %(end)s; "
                    "end that membership first."
                ) % {**values, "end": clash.valid_to}
            else:
                message = (
                    _(
                        "%(person)s is already in %(unit)s from %(start)s (ongoing); "
                        "end that membership first."
                    )
                    % values
                )
            raise ValidationError(message)


class Role(models.Model):
    """What a person may do: admin (everything), manager of a unit, rep, mentor of a person."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MANAGER = "manager", _("Manager")
        REP = "rep", _("Rep")
        MENTOR = "mentor", _("Mentor")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="manager_roles",
        help_text=_("The unit a manager manages (with everything below it)."),
    )
    mentee = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentor_roles",
        help_text=_("The person a mentor mentors."),
    )

    class Meta:
        ordering = ["person", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="manager", unit__isnull=False) | ~Q(kind="manager"))
                & (Q(kind="mentor", mentee__isnull=False) | ~Q(kind="mentor")),
                name="role_has_its_object",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("person")), name="role_no_self_mentoring"
            ),
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(kind__in=["admin", "rep"]),
                name="role_admin_rep_once",
            ),
            models.UniqueConstraint(
                fields=["person", "unit"], condition=Q(kind="manager"), name="role_manager_once"
            ),
            models.UniqueConstraint(
                fields=["person", "mentee"], condition=Q(kind="mentor"), name="role_mentor_once"
            ),
        ]
        indexes = [
            # "Which units does this user manage": WHERE kind = 'manager' AND person_id = P
            models.Index(fields=["person", "kind"], name="role_person_kind"),
        ]

    def __str__(self) -> str:
        target = self.unit or self.mentee
        return f"{self.person}: {self.get_kind_display()}" + (f" of {target}" if target else "")


class CrmIdentity(models.Model):
    """A person's user id in a CRM (``source``: hubspot, salesforce, pipedrive …), so that
    deal and activity owners written as ids (HubSpot owner id, Salesforce ``005…``) match."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="crm_ids")
    source = models.CharField(max_length=32)
    crm_id = models.CharField(max_length=128, verbose_name=_("CRM user id"))

    class Meta:
        verbose_name = _("CRM user id")
        constraints = [
            models.UniqueConstraint(fields=["source", "crm_id"], name="crmidentity_unique"),
            models.UniqueConstraint(fields=["person", "source"], name="crmidentity_one_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.crm_id}"
