"""The ledger: facts that goals are measured against.

Every row keeps the ``source`` it came from (``demo``, ``hubspot``, ``csv``, ``web`` …) and
its ``external_id`` there, unique together, so that importers upsert: importing the same file
twice changes nothing. Money is exact to the cent (``MoneyField``: integer cents).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pacesetter.fields import FixedDecimalField, MoneyField
from pacesetter.org.models import Person


class Segment(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    MID_MARKET = "mid_market", _("Mid-market")
    SMB = "smb", _("SMB")


def _source_key(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["source", "external_id"], name=f"{model}_source_external_id_unique"
    )


class Account(models.Model):
    """A customer or prospect company. A customer from ``acquired_on`` until ``churned_on``."""

    source = models.CharField(max_length=32)
    external_id = models.CharField(max_length=128)
    name = models.CharField(max_length=200)
    segment = models.CharField(max_length=16, choices=Segment.choices, blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    acquired_on = models.DateField(null=True, blank=True, help_text=_("Became a customer."))
    churned_on = models.DateField(null=True, blank=True, help_text=_("Stopped being a customer."))

    class Meta:
        ordering = ["name"]
        constraints = [
            _source_key("account"),
            models.CheckConstraint(
                condition=Q(churned_on__isnull=True)
                | Q(acquired_on__isnull=False, churned_on__gte=models.F("acquired_on")),
                name="account_churns_after_acquired",
            ),
        ]
        indexes = [
            # New-customer coverage and retention: WHERE acquired_on BETWEEN ... (per owner)
            # With churned_on: new-customer coverage picks its customers from the index alone.
            models.Index(
                fields=["acquired_on", "owner", "churned_on"], name="account_acquired_owner"
            ),
            # Retention: customers at the start of a period, WHERE churned_on >= start
            models.Index(fields=["churned_on"], name="account_churned"),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """Something a rep did at a moment: an e-mail sent, a call, a meeting, a demo …"""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail sent")
        CALL = "call", _("Call made")
        MEETING_BOOKED = "meeting_booked", _("Meeting booked")
        MEETING = "meeting", _("Meeting held")
        DEMO = "demo", _("Demo held")
        ARTICLE = "article", _("Article shared")
        EVENT = "event", _("Event attended")

    source = models.CharField(max_length=32)
    external_id = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="activities",
        db_index=False,  # activity_person_time below leads with the person
    )
    occurred_at = models.DateTimeField(help_text=_("Stored in UTC."))
    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        db_index=False,  # served by activity_account_time below
    )
    segment = models.CharField(
        max_length=16,
        choices=Segment.choices,
        blank=True,
        help_text=_("The account's segment when the activity happened (kept for filtering)."),
    )
    attributes = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("activities")
        constraints = [_source_key("activity")]
        indexes = [
            # Every rep's count for a period and kind (org-wide dashboards):
            #   WHERE occurred_at >= ? AND occurred_at < ? AND kind = ? GROUP BY person_id
            # Covering, so the scan never touches the table.
            models.Index(
                fields=["occurred_at", "kind", "person"], name="activity_time_kind_person"
            ),
            # One rep's (or one team's) activities in a period:
            #   WHERE person_id IN (...) AND occurred_at >= ? AND occurred_at < ?
            models.Index(fields=["person", "occurred_at"], name="activity_person_time"),
            # New-customer coverage (G4): the touches of given accounts in a period:
            #   WHERE account_id IN (...) AND occurred_at >= ? AND occurred_at < ?
            # (measured on 10 M rows: 0.19 s instead of 0.77 s with the plain FK index).
            models.Index(fields=["account", "occurred_at"], name="activity_account_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.person_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


class Deal(models.Model):
    """An opportunity: open until closed won or lost on ``closed_on``."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    source = models.CharField(max_length=32)
    external_id = models.CharField(max_length=128)
    name = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="deals",
        db_index=False,  # deal_owner_closed below leads with the owner
    )
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    amount = MoneyField()
    stage = models.CharField(max_length=64, help_text=_("The CRM's stage name, as given."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    segment = models.CharField(max_length=16, choices=Segment.choices, blank=True)
    # Unknown for some open deals in real exports; cleared when the CRM's creation date is
    # after the close (records loaded into the CRM later): such deals stay out of lead times.
    created_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            _source_key("deal"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="deal_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (
                    ~Q(status="open")
                    & Q(closed_on__isnull=False)
                    & (Q(created_on__isnull=True) | Q(closed_on__gte=models.F("created_on")))
                ),
                name="deal_closed_iff_won_or_lost",
            ),
        ]
        indexes = [
            # Revenue won / close rate for every rep of a period:
            #   WHERE closed_on BETWEEN ? AND ? AND status = ? GROUP BY owner_id
            # With created_on, lead time (closed_on − created_on of the won deals of a period)
            # is read from the index alone (48.7 → 28 ms for a quarter on the bench org).
            models.Index(
                fields=["closed_on", "status", "owner", "created_on"],
                name="deal_closed_status_owner",
            ),
            # One rep's deals over time (funnel history, lead-to-customer time).
            models.Index(fields=["owner", "closed_on"], name="deal_owner_closed"),
        ]

    def __str__(self) -> str:
        return self.name or f"Deal {self.external_id}"


class ManualEntry(models.Model):
    """A number a person reports for a metric and a week (the spreadsheet or the web form).

    A week that straddles two months is reported in two parts, one per month (see
    ``planning.week_parts``), so that each month counts what happened in it: an entry covers
    the days from ``first_day`` to the end of its week or of its month, whichever comes
    first. For a week inside one month, ``first_day`` is the week's first day.
    """

    source = models.CharField(max_length=32)
    external_id = models.CharField(max_length=128)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="manual_entries")
    metric = models.SlugField(max_length=64, help_text=_("The metric's name, e.g. pd_events."))
    first_day = models.DateField(
        help_text=_(
            "First day the number covers: the week's first day (per the org's week "
            "start), or the 1st of the month for the second part of a week that straddles two."
        )
    )
    value = FixedDecimalField(places=2)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("manual entries")
        constraints = [
            _source_key("manualentry"),
            models.UniqueConstraint(
                fields=["person", "metric", "first_day"], name="manualentry_one_per_week_part"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="manualentry_not_negative"),
        ]
        indexes = [
            # A metric's entries for every person in a period:
            #   WHERE metric = ? AND first_day BETWEEN ? AND ? GROUP BY person_id
            models.Index(fields=["metric", "first_day", "person"], name="manualentry_metric_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.metric} from {self.first_day}: {self.value}"


# --- monthly rollups ----------------------------------------------------------------------
#
# The additive facts (counts and sums per person, month in the org's time zone, and kind)
# that dashboards read instead of scanning millions of ledger rows. Importers and the demo
# keep them current in the same transaction as the rows they write (``ledger.rollups``).


class ActivityMonth(models.Model):
    """How many activities of a kind (and account segment) a person logged in a month."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("First day of the month, in the org's time zone."))
    kind = models.CharField(max_length=16)
    segment = models.CharField(max_length=16, blank=True)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "segment", "person"], name="activitymonth_key"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="activitymonth_not_negative"),
        ]
        indexes = [
            # Every read: WHERE kind = ? AND month BETWEEN ? AND ? [AND segment = ?]
            # GROUP BY person_id, answered from the index alone (the unique key leads with
            # the month, so it read every kind's rows of the months and then the table:
            # 12.5 → 2.3 ms for a month of one kind on the 2,000-rep bench org, SQLite).
            models.Index(
                fields=["kind", "month", "person", "segment", "count"],
                name="activitymonth_kind_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.kind}/{self.segment}: {self.count}"


# Activities that count as touching a customer (new-customer coverage, G4).
TOUCH_KINDS = ("email", "call", "meeting", "demo")


class AccountMonth(models.Model):
    """How many times a customer was touched (``TOUCH_KINDS``) in a month, by anyone.

    New-customer coverage asks, for each customer, whether there was a touch in each month:
    one look-up here instead of a search through the month's activities for every customer
    (measured on 2,000 reps and 15,000 new customers: 40 ms against 135 ms on PostgreSQL).
    A month whose touches all went away has no row at all.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("First day of the month, in the org's time zone."))
    touches = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "account"], name="accountmonth_key"),
            models.CheckConstraint(condition=Q(touches__gt=0), name="accountmonth_touched"),
        ]
        # The unique key answers "customers touched in month M" on its own (index only).

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}: {self.touches}"


class DealMonth(models.Model):
    """How many deals a person closed in a month (by close date), won or lost, and for how much."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("First day of the month the deals closed in."))
    status = models.CharField(max_length=8)
    segment = models.CharField(max_length=16, blank=True)
    count = models.BigIntegerField(default=0)
    amount = MoneyField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "status", "segment", "person"], name="dealmonth_key"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="dealmonth_not_negative"),
        ]
        indexes = [
            # Won/closed counts and won amounts of months per person, from the index alone
            # (21.6 → 6.4 ms for a quarter on the bench org, SQLite).
            models.Index(
                fields=["month", "person", "status", "segment", "count", "amount"],
                name="dealmonth_month_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.status}: {self.count} / {self.amount}"


class ImportSlot(models.Model):
    """The import being written in steps (``importers/steps.py``): at most one at a time.

    On SQLite a large import writes in short transactions, so that the web's writes are not
    kept waiting; this row and its ``ImportStep`` journal are what makes it all or nothing
    anyway. It exists only while an import is being written: a row left behind by a process
    that died is found by the next import (or the worker) and its steps are undone.
    """

    name = models.CharField(max_length=16, unique=True, default="ledger")
    kind = models.CharField(max_length=16)
    source = models.CharField(max_length=32)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    stamp = models.DateTimeField(help_text=_("updated_at of the entries this import writes."))

    def __str__(self) -> str:
        return f"{self.kind} from {self.source} (pid {self.pid} on {self.host})"


class ImportStep(models.Model):
    """What one step of an import wrote: the keys it inserted and the rows it changed, with
    their values before (JSON), so that the step can be undone."""

    slot = models.ForeignKey(ImportSlot, on_delete=models.CASCADE, related_name="steps")
    number = models.IntegerField()
    inserted = models.TextField(default="[]")
    updated = models.TextField(default="[]")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "number"], name="importstep_number"),
        ]

    def __str__(self) -> str:
        return f"step {self.number}"
