"""Column names of the standard exports of HubSpot, Salesforce and Pipedrive.

Each preset is one small table: for each import kind, the file's column(s) for each field.
When a field lists several columns, the first one present in the file *and* non-empty in a
row wins (Pipedrive puts a won deal's close in "Won time" and a lost one's in "Lost time").
Column names are compared by their letters and digits only (``CloseDate`` is "Close Date").
Anything else is mapped with ``--map field=column``, which overrides a preset's choice.

The names are those of the CRMs' default English exports (labels) and of their APIs
(internal names), so both kinds of file read with the preset alone; portals with renamed or
custom properties need ``--map``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Columns = tuple[str, ...]


@dataclass(frozen=True)
class Preset:
    """One CRM's export: columns by kind and field, plus how that CRM writes dates."""

    name: str
    kinds: dict[str, dict[str, Columns]]
    # strptime formats tried after ISO, --date-format and dates.py's numeric dates.
    date_formats: tuple[str, ...] = ()
    # The CRM's default open stages, so that --stages-strict knows them.
    open_stages: tuple[str, ...] = field(default_factory=tuple)
    # Activity types as this CRM writes them, when they differ from the usual spellings.
    type_map: dict[str, str] = field(default_factory=dict)
    # A column that says what a whole activities export holds: (column, kind).
    implied_types: tuple[tuple[str, str], ...] = ()
    # Probabilities are written in percent (Salesforce: 10 for 10 %).
    probability_percent: bool = False


# HubSpot: the index pages' "Export" (CSV/XLSX) with the properties' labels, and exports
# with the properties' internal names (API tools, workflows, data syncs). Dates come as
# "2026-03-31", "2026-03-31 14:05" or ISO with a zone. "Is Deal Closed?", "Is Closed Won"
# and "Deal probability" (1.0 won, 0.0 lost) say the outcome whatever the stages are called.
# A calls, meetings or e-mails export has no type column: its columns say what it holds.
# A company is read by its id first ("Associated Company IDs (Primary)" in a deals export,
# "Associated Company IDs" in an activities one, as the live sync writes them), else by name.
HUBSPOT = Preset(
    name="hubspot",
    kinds={
        "deals": {
            "external_id": ("Record ID", "hs_object_id", "Deal ID"),
            "name": ("Deal Name", "dealname"),
            "stage": ("Deal Stage", "dealstage"),
            "amount": ("Amount", "amount"),
            "currency": ("Currency", "deal_currency_code"),
            "closed": ("Close Date", "closedate"),
            "created": ("Create Date", "createdate"),
            "owner": ("Deal owner", "hubspot_owner_id", "Owner"),
            "account": ("Associated Company IDs (Primary)", "Associated Company",
                        "Associated Company (Primary)", "Company name"),
            "is_closed": ("Is Deal Closed?", "Is Closed", "hs_is_closed"),
            "is_won": ("Is Closed Won", "hs_is_closed_won"),
            "probability": ("Deal probability", "hs_deal_stage_probability"),
            "modified": ("Last Modified Date", "hs_lastmodifieddate"),
        },
        "activities": {
            "external_id": ("Record ID", "hs_object_id", "Activity ID"),
            "type": ("Activity type", "Task type", "hs_task_type", "Engagement type", "Type"),
            "occurred": (
                "Completed at", "hs_task_completion_date", "Activity date", "hs_timestamp",
                "Meeting start time", "hs_meeting_start_time", "Due date", "Create date",
                "hs_createdate",
            ),
            "person": ("Activity assigned to", "Assigned to", "Activity owner",
                       "hubspot_owner_id", "Owner"),
            "done": ("Task status", "hs_task_status", "Call status", "hs_call_status",
                     "Meeting outcome", "hs_meeting_outcome"),
            "subject": ("Task title", "hs_task_subject", "Call title", "hs_call_title",
                        "Meeting name", "hs_meeting_title", "Subject"),
            "account": ("Associated Company IDs", "Associated Company",
                        "Associated Company (Primary)"),
        },
        "accounts": {
            "external_id": ("Record ID", "hs_object_id", "Company ID"),
            "name": ("Company name", "name"),
            "owner": ("Company owner", "hubspot_owner_id"),
            "acquired": ("Became a Customer Date", "hs_lifecyclestage_customer_date"),
        },
    },
    open_stages=(
        "Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
        "Decision Maker Bought-In", "Contract Sent",
    ),
    type_map={"INCOMING_EMAIL": "ignore", "FORWARDED_EMAIL": "ignore"},
    implied_types=(
        ("Call status", "call"), ("hs_call_status", "call"), ("Call outcome", "call"),
        ("hs_call_disposition", "call"), ("Call direction", "call"),
        ("hs_call_direction", "call"), ("Meeting outcome", "meeting"),
        ("hs_meeting_outcome", "meeting"), ("Meeting start time", "meeting"),
        ("hs_meeting_start_time", "meeting"), ("Email direction", "email"),
        ("hs_email_direction", "email"), ("Email subject", "email"),
        ("hs_email_subject", "email"),
    ),
)  # fmt: skip

# Salesforce: a tabular report exported as "Details Only" (CSV or XLSX) with the fields'
# labels, and Data Loader / Workbench / Data Export files with their API names (Opportunity,
# Task, Event). Owners come as names, e-mails (Owner.Email) or user ids (OwnerId: 005…,
# matched through the org file's crm_id). Report dates follow the user's locale (3/31/2026,
# 31/03/2026, 31.03.2026): dates.py reads them and judges the order from the file. API
# dates are ISO. IsClosed/IsWon ("Closed"/"Won" in reports) decide the
# outcome; a task counts when it is closed (Status "Completed").
SALESFORCE = Preset(
    name="salesforce",
    kinds={
        "deals": {
            "external_id": ("Opportunity ID", "Id", "Opportunity.Id"),
            "name": ("Opportunity Name", "Name"),
            "stage": ("Stage", "StageName"),
            "amount": ("Amount",),
            "currency": ("Opportunity Currency", "CurrencyIsoCode"),
            "closed": ("Close Date", "CloseDate"),
            "created": ("Created Date", "CreatedDate"),
            "owner": ("Opportunity Owner", "Owner.Email", "OwnerId", "Owner.Name",
                      "Opportunity Owner Email"),
            "account": ("Account ID", "AccountId", "Account Name", "Account.Name"),
            "is_closed": ("Closed", "IsClosed"),
            "is_won": ("Won", "IsWon"),
            "probability": ("Probability (%)", "Probability"),
            "modified": ("Last Modified Date", "LastModifiedDate", "SystemModstamp"),
            "product": ("Product Name",),
        },
        "activities": {
            "external_id": ("Activity ID", "Id", "Task ID", "Event ID"),
            "type": ("Type", "TaskSubtype", "Task Subtype", "EventSubtype", "Event Subtype",
                     "Activity Type"),
            "occurred": (
                "CompletedDateTime", "Completed Date/Time", "ActivityDateTime",
                "StartDateTime", "Start", "Date", "ActivityDate", "Due Date", "CreatedDate",
            ),
            "person": ("Assigned", "Assigned To", "Owner.Email", "OwnerId", "Owner.Name"),
            "done": ("IsClosed", "Closed", "Status"),
            "subject": ("Subject",),
            "account": ("Account ID", "AccountId", "Company / Account", "Account Name",
                        "Account.Name"),
        },
        "accounts": {
            "external_id": ("Account ID", "Id"),
            "name": ("Account Name", "Name"),
            "owner": ("Account Owner", "Owner.Email", "OwnerId", "Owner.Name"),
        },
    },
    open_stages=(
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
        "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
        "Negotiation/Review",
    ),
    type_map={"Event": "meeting"},
    implied_types=(("EventSubtype", "meeting"), ("Event Subtype", "meeting"),
                   ("StartDateTime", "meeting"), ("DurationInMinutes", "meeting")),
    probability_percent=True,
)  # fmt: skip

# Pipedrive: "Export data" of deals / activities / organizations. Older exports prefix every
# column with the entity ("Deal - Title"); newer ones do not ("Title"). A deal's status
# (open, won, lost, deleted) is its own column; an activity's "Done" says it was done.
PIPEDRIVE = Preset(
    name="pipedrive",
    kinds={
        "deals": {
            "external_id": ("Deal - ID", "ID"),
            "name": ("Deal - Title", "Title"),
            "amount": ("Deal - Value", "Value"),
            "currency": ("Deal - Currency of Value", "Currency of Value", "Deal - Currency",
                         "Currency"),
            "stage": ("Deal - Stage", "Stage"),
            "status": ("Deal - Status", "Status"),
            "owner": ("Deal - Owner", "Owner"),
            "closed": ("Deal - Won time", "Deal - Lost time", "Deal - Deal closed on",
                       "Deal - Closed on", "Won time", "Lost time", "Deal closed on",
                       "Closed on"),
            "created": ("Deal - Deal created", "Deal - Add time", "Deal - Creation date",
                        "Deal created", "Add time", "Creation date"),
            "modified": ("Deal - Update time", "Update time"),
            "probability": ("Deal - Probability", "Probability"),
            "account": ("Deal - Organization", "Organization"),
        },
        "activities": {
            "external_id": ("Activity - ID", "ID"),
            "type": ("Activity - Type", "Type"),
            "occurred": ("Activity - Marked as done time", "Activity - Due date",
                         "Marked as done time", "Due date"),
            "person": ("Activity - Assigned to user", "Activity - Owner", "Assigned to user",
                       "Owner"),
            "done": ("Activity - Done", "Done"),
            "subject": ("Activity - Subject", "Subject"),
            "account": ("Activity - Organization", "Organization"),
        },
        "accounts": {
            "external_id": ("Organization - ID", "ID"),
            "name": ("Organization - Name", "Name"),
            "owner": ("Organization - Owner", "Owner"),
        },
    },
    open_stages=("Qualified", "Contact Made", "Demo Scheduled", "Proposal Made",
                 "Negotiations Started"),
    probability_percent=True,
)  # fmt: skip

PRESETS: dict[str, Preset] = {p.name: p for p in (HUBSPOT, SALESFORCE, PIPEDRIVE)}
