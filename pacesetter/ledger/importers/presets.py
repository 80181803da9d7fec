"""Column names of the standard exports of HubSpot, Salesforce and Pipedrive.

Each preset is one small table: for each import kind, the file's column(s) for each field.
When a field lists several columns, the first one present in the file *and* non-empty in a
row wins (Pipedrive puts a won deal's close in "Won time" and a lost one's in "Lost time").
Column names are compared without regard to case, spaces, ``-`` and ``_``.
Anything else is mapped with ``--map field=column``, which overrides a preset's choice.

The names are those of the CRMs' default English exports as documented; portals with renamed
or custom properties need ``--map``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Columns = tuple[str, ...]


@dataclass(frozen=True)
class Preset:
    """One CRM's export: columns by kind and field, plus how that CRM writes dates."""

    name: str
    kinds: dict[str, dict[str, Columns]]
    # Tried after ISO 8601 (and before nothing else) unless --date-format is given.
    date_formats: tuple[str, ...] = ()
    # The CRM's default open stages, so that --stages-strict knows them.
    open_stages: tuple[str, ...] = field(default_factory=tuple)
    # Activity types as this CRM writes them, when they differ from the usual spellings.
    type_map: dict[str, str] = field(default_factory=dict)
    # A column that says what a whole activities export holds: (column, kind).
    implied_types: tuple[tuple[str, str], ...] = ()
    # Probabilities are written in percent (Salesforce: 10 for 10 %).
    probability_percent: bool = False


# HubSpot: Deals and Activities index pages, "Export" (CSV/XLSX), default properties.
# Dates come as "2026-03-31" or "2026-03-31 14:05" (ISO-like, the portal's time zone).
HUBSPOT = Preset(
    name="hubspot",
    kinds={
        "deals": {
            "external_id": ("Record ID",),
            "name": ("Deal Name",),
            "stage": ("Deal Stage",),
            "amount": ("Amount",),
            "closed": ("Close Date",),
            "created": ("Create Date",),
            "owner": ("Deal owner",),
            "account": ("Associated Company",),
        },
        "activities": {
            "external_id": ("Record ID",),
            "type": ("Activity type",),
            "occurred": ("Activity date",),
            "person": ("Activity assigned to", "Assigned to"),
            "account": ("Associated Company",),
        },
        "accounts": {
            "external_id": ("Record ID",),
            "name": ("Company name",),
            "owner": ("Company owner",),
            "acquired": ("Became a Customer Date",),
        },
    },
    open_stages=(
        "Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled",
        "Decision Maker Bought-In", "Contract Sent",
    ),
)  # fmt: skip

# Salesforce: a tabular report exported as "Details Only" (CSV or XLSX), standard fields.
# Dates follow the user's locale; the US default is 3/31/2026 (tried after ISO).
SALESFORCE = Preset(
    name="salesforce",
    kinds={
        "deals": {
            "external_id": ("Opportunity ID",),
            "name": ("Opportunity Name",),
            "stage": ("Stage",),
            "amount": ("Amount",),
            "closed": ("Close Date",),
            "created": ("Created Date",),
            "owner": ("Opportunity Owner",),
            "account": ("Account ID", "Account Name"),
            "product": ("Product Name",),
        },
        "activities": {
            "external_id": ("Activity ID",),
            "type": ("Type", "Task Subtype"),
            "occurred": ("Date", "Due Date"),
            "person": ("Assigned",),
            "account": ("Account ID", "Company / Account", "Account Name"),
        },
        "accounts": {
            "external_id": ("Account ID",),
            "name": ("Account Name",),
            "owner": ("Account Owner",),
        },
    },
    date_formats=("%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%Y %H:%M"),
    open_stages=(
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
        "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
        "Negotiation/Review",
    ),
)  # fmt: skip

# Pipedrive: "Export data" of deals / activities / organizations; every column is prefixed
# with the entity. A deal's status (open, won, lost) is its own column.
PIPEDRIVE = Preset(
    name="pipedrive",
    kinds={
        "deals": {
            "external_id": ("Deal - ID",),
            "name": ("Deal - Title",),
            "amount": ("Deal - Value",),
            "stage": ("Deal - Stage",),
            "status": ("Deal - Status",),
            "owner": ("Deal - Owner",),
            "closed": ("Deal - Won time", "Deal - Lost time", "Deal - Deal closed on"),
            "created": ("Deal - Deal created", "Deal - Add time"),
            "account": ("Deal - Organization",),
        },
        "activities": {
            "external_id": ("Activity - ID",),
            "type": ("Activity - Type",),
            "occurred": ("Activity - Marked as done time", "Activity - Due date"),
            "person": ("Activity - Assigned to user", "Activity - Owner"),
            "account": ("Activity - Organization",),
        },
        "accounts": {
            "external_id": ("Organization - ID",),
            "name": ("Organization - Name",),
            "owner": ("Organization - Owner",),
        },
    },
    open_stages=("Qualified", "Contact Made", "Demo Scheduled", "Proposal Made",
                 "Negotiations Started"),
)  # fmt: skip

PRESETS: dict[str, Preset] = {p.name: p for p in (HUBSPOT, SALESFORCE, PIPEDRIVE)}
