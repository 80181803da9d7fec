"""HubSpot (CRM API v3) with a private app's access token.

Records come from each object's search endpoint (``POST /crm/v3/objects/{object}/search``),
filtered on ``hs_lastmodifieddate`` at or after the cursor and sorted by it, paged with
``after``. A search stops at 10,000 results: the connector then searches again from the
newest modification it has seen. Archived (deleted) records come from
``GET /crm/v3/objects/{object}?archived=true``; a deal merged into another is listed in the
survivor's ``hs_merged_object_ids`` and removed. Deal stages are named and judged won or
closed from ``GET /crm/v3/pipelines/deals`` (each stage's ``isClosed`` and ``probability``);
owners come from ``GET /crm/v3/owners``.

The search does not return associations: for each page of deals, calls, meetings, e-mails
and tasks, the companies the records are associated with are read in one call,
``POST /crm/v4/associations/{object}/companies/batch/read`` with the page's ids (more calls
only when HubSpot pages a record's companies and the primary is not on the first page).
HubSpot answers 207 when some records have none: each is an ``errors`` entry of category
``OBJECT_NOT_FOUND`` (``crm.associations.NO_ASSOCIATIONS_FOUND``); any other error entry
fails the sync rather than write a record without its company. A record's company is the
one HubSpot marks primary (HUBSPOT_DEFINED type 5, "Primary", for a deal), else the first
listed: calls (182), e-mails (186), meetings (188) and tasks (192) have no primary company.
A company associated with a record that is not itself modified may not reach an
incremental sync (the search filters on the record's ``hs_lastmodifieddate``): a full sync
reads every record's companies again.

The rows have the columns of a HubSpot export with internal names (the ``hubspot`` preset),
a stage by its label, and the company's id where the export puts it: "Associated Company
IDs (Primary)" for a deal, "Associated Company IDs" for an activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pacesetter import config
from pacesetter.integrations.connectors.base import (
    NotConfigured,
    ObjectType,
    Page,
    cell,
    newest,
    parse_instant,
)
from pacesetter.integrations.http import ApiError, Client

PAGE_SIZE = 100
SEARCH_LIMIT = 10_000  # HubSpot's search pages no further than this
MODIFIED = "hs_lastmodifieddate"
PRIMARY_COMPANY = "Associated Company IDs (Primary)"  # a deals export's primary company
COMPANY_IDS = "Associated Company IDs"  # an activities export's companies

OBJECT_TYPES = (
    ObjectType("companies", "accounts", ("hs_object_id", "name", "hubspot_owner_id",
                                         "hs_lifecyclestage_customer_date", MODIFIED)),
    ObjectType("deals", "deals", (
        "hs_object_id", "dealname", "dealstage", "amount", "deal_currency_code", "closedate",
        "createdate", "hubspot_owner_id", "hs_is_closed", "hs_is_closed_won",
        "hs_deal_stage_probability", MODIFIED, PRIMARY_COMPANY)),
    ObjectType("calls", "activities", ("hs_object_id", "hs_call_title", "hs_timestamp",
                                       "hubspot_owner_id", "hs_call_status", MODIFIED,
                                       COMPANY_IDS)),
    ObjectType("meetings", "activities", ("hs_object_id", "hs_meeting_title",
                                          "hs_meeting_start_time", "hubspot_owner_id",
                                          "hs_meeting_outcome", MODIFIED, COMPANY_IDS)),
    # The direction is the type: an e-mail received (INCOMING_EMAIL) is not one sent.
    ObjectType("emails", "activities", ("hs_object_id", "hs_email_subject", "hs_timestamp",
                                        "hubspot_owner_id", "Engagement type", MODIFIED,
                                        COMPANY_IDS)),
    ObjectType("tasks", "activities", ("hs_object_id", "hs_task_subject", "hs_task_type",
                                       "hs_task_status", "hs_task_completion_date",
                                       "hubspot_owner_id", MODIFIED, COMPANY_IDS)),
)  # fmt: skip
EXTRA_PROPERTIES = {
    "deals": ("pipeline", "hs_merged_object_ids"),
    "emails": ("hs_email_direction",),
}
NOT_PROPERTIES = frozenset({"Engagement type", PRIMARY_COMPANY, COMPANY_IDS})  # made here
# The association type HubSpot defines for an object's primary company (deal → company).
PRIMARY_TYPE_IDS = {"deals": 5}
# A record without companies (or deleted since the search): HubSpot lists it among the
# batch's errors, category OBJECT_NOT_FOUND, and answers 207.
NO_COMPANY = "OBJECT_NOT_FOUND"


class HubSpot:
    name: str = "hubspot"
    object_types: tuple[ObjectType, ...] = OBJECT_TYPES

    def __init__(self, client: Client) -> None:
        self.client = client
        self._stages: dict[str, dict[str, Any]] | None = None

    @classmethod
    def from_settings(cls) -> HubSpot:
        settings = config.crm_settings("hubspot")
        if not settings.token:
            raise NotConfigured("PACESETTER_HUBSPOT_TOKEN")
        return cls(Client(settings.url, headers={"Authorization": f"Bearer {settings.token}"}))

    def close(self) -> None:
        self.client.close()

    # --- records ----------------------------------------------------------------------

    def pages(self, object_type: ObjectType, since: dt.datetime | None) -> Iterator[Page]:
        properties = [c for c in object_type.columns if c not in NOT_PROPERTIES]
        properties += EXTRA_PROPERTIES.get(object_type.name, ())
        after: str | None = None
        start = since
        seen: dt.datetime | None = None
        while True:
            body = self._search_body(properties, start, after)
            answer = self.client.post(f"/crm/v3/objects/{object_type.name}/search", json=body)
            page = Page()
            records = answer.get("results", [])
            companies = self._companies(object_type, [str(r["id"]) for r in records])
            for record in records:
                company = companies.get(str(record["id"]), "")
                page.rows.append(self._row(object_type, record, company))
                page.removed += _merged_away(record)
                seen = newest(seen, parse_instant(record["properties"].get(MODIFIED)))
            page.newest = seen
            yield page
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                break
            if int(after) >= SEARCH_LIMIT:  # search again from the newest seen
                if seen is None or seen == start:
                    raise ApiError(f"more than {SEARCH_LIMIT:,} {object_type.name} changed at once")
                start, after = seen, None
        yield from self._archived(object_type, since)

    def _search_body(
        self, properties: list[str], since: dt.datetime | None, after: str | None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "properties": properties,
            "sorts": [{"propertyName": MODIFIED, "direction": "ASCENDING"}],
            "limit": PAGE_SIZE,
        }
        if since is not None:
            millis = str(int(since.timestamp() * 1000))
            body["filterGroups"] = [
                {"filters": [{"propertyName": MODIFIED, "operator": "GTE", "value": millis}]}
            ]
        if after:
            body["after"] = after
        return body

    def _archived(self, object_type: ObjectType, since: dt.datetime | None) -> Iterator[Page]:
        """Archived records (deleted in HubSpot), archived at or after ``since``."""
        params: dict[str, Any] = {"archived": "true", "limit": PAGE_SIZE}
        while True:
            answer = self.client.get(f"/crm/v3/objects/{object_type.name}", params=params)
            page = Page()
            for record in answer.get("results", []):
                when = parse_instant(record.get("archivedAt"))
                if since is None or when is None or when >= since:
                    page.removed.append(str(record["id"]))
            yield page
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return
            params["after"] = after

    def _companies(self, object_type: ObjectType, ids: list[str]) -> dict[str, str]:
        """The company of each record that has one (its primary, else the first listed),
        read in one batch call for the page."""
        if _company_column(object_type) is None or not ids:
            return {}
        ranked = object_type.name in PRIMARY_TYPE_IDS  # activities have no primary company
        path = f"/crm/v4/associations/{object_type.name}/companies/batch/read"
        listed: dict[str, list[str]] = {}
        primary: dict[str, str] = {}
        inputs: list[dict[str, str]] = [{"id": key} for key in ids]
        asked: set[tuple[str, str]] = set()
        while inputs:
            answer = self.client.post(path, json={"inputs": inputs}) or {}
            _refuse_errors(path, answer)
            inputs = []
            for result in answer.get("results", []):
                key = str(result["from"]["id"])
                for target in result.get("to") or []:
                    company = str(target["toObjectId"])
                    listed.setdefault(key, []).append(company)
                    if key not in primary and _is_primary(object_type.name, target):
                        primary[key] = company
                after = ((result.get("paging") or {}).get("next") or {}).get("after")
                if after and ranked and key not in primary and (key, after) not in asked:
                    asked.add((key, after))  # the primary may be on a further page
                    inputs.append({"id": key, "after": str(after)})
        return {key: primary.get(key) or found[0] for key, found in listed.items()}

    def _row(
        self, object_type: ObjectType, record: dict[str, Any], company: str = ""
    ) -> dict[str, str]:
        properties = dict(record.get("properties") or {})
        properties["hs_object_id"] = properties.get("hs_object_id") or record["id"]
        if (column := _company_column(object_type)) is not None:
            properties[column] = company
        if object_type.name == "deals":
            self._judge_stage(properties)
        if object_type.name == "emails":
            properties["Engagement type"] = properties.get("hs_email_direction") or "EMAIL"
        return {column: cell(properties.get(column)) for column in object_type.columns}

    def _judge_stage(self, properties: dict[str, Any]) -> None:
        """The stage's label, and closed/won from the pipeline when the deal lacks them."""
        stage = self.stages().get(str(properties.get("dealstage") or ""))
        if stage is None:
            return
        properties["dealstage"] = stage["label"]
        metadata = stage.get("metadata") or {}
        closed = str(metadata.get("isClosed", "")).lower() == "true"
        if not properties.get("hs_is_closed"):
            properties["hs_is_closed"] = "true" if closed else "false"
        if not properties.get("hs_is_closed_won") and metadata.get("probability") is not None:
            won = closed and float(metadata["probability"]) >= 1
            properties["hs_is_closed_won"] = "true" if won else "false"

    def stages(self) -> dict[str, dict[str, Any]]:
        """Deal stages of every pipeline by id (read once)."""
        if self._stages is None:
            answer = self.client.get("/crm/v3/pipelines/deals")
            self._stages = {
                str(stage["id"]): stage
                for pipeline in answer.get("results", [])
                for stage in pipeline.get("stages", [])
            }
        return self._stages

    # --- owners -----------------------------------------------------------------------

    def owners(self) -> dict[str, str]:
        found: dict[str, str] = {}
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        while True:
            answer = self.client.get("/crm/v3/owners", params=params)
            for owner in answer.get("results", []):
                name = " ".join(filter(None, (owner.get("firstName"), owner.get("lastName"))))
                email = owner.get("email") or ""
                found[str(owner["id"])] = f"{name} <{email}>" if email else name
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return found
            params["after"] = after


def _company_column(object_type: ObjectType) -> str | None:
    """Where the export puts a record's company (None: the type has no company)."""
    for column in (PRIMARY_COMPANY, COMPANY_IDS):
        if column in object_type.columns:
            return column
    return None


def _is_primary(name: str, target: dict[str, Any]) -> bool:
    """HubSpot marks the primary company with its own HUBSPOT_DEFINED association type."""
    primary = PRIMARY_TYPE_IDS.get(name)
    return any(
        kind.get("category") == "HUBSPOT_DEFINED"
        and (
            kind.get("label") == "Primary"
            or (primary is not None and str(kind.get("typeId")) == str(primary))
        )
        for kind in target.get("associationTypes") or []
    )


def _refuse_errors(path: str, answer: dict[str, Any]) -> None:
    """A batch's errors other than "not found" (a 207 for part of it) fail the sync: a
    record written without its company would lose the account it has."""
    for error in answer.get("errors") or []:
        if error.get("category") == NO_COMPANY:
            continue
        what = error.get("subCategory") or error.get("category") or "error"
        ids = ", ".join(str(i) for i in (error.get("context") or {}).get("fromObjectId", []))
        raise ApiError(f"POST {path} answered {what}" + (f" for {ids}" if ids else ""))


def _merged_away(record: dict[str, Any]) -> list[str]:
    """The records merged into this one (HubSpot keeps the survivor only)."""
    merged = (record.get("properties") or {}).get("hs_merged_object_ids") or ""
    return [key.strip() for key in str(merged).split(";") if key.strip()]
