"""Pipedrive (API v1) with a company's API token.

Deals and organizations are listed newest change first (``sort=update_time DESC``) and paged
with ``start``/``limit`` while ``additional_data.pagination.more_items_in_collection`` says
there are more, stopping at the first record older than the cursor. Deleted deals (merged
deals are deleted) come from ``status=deleted`` the same way. Activities changed since the
cursor come from ``/api/v1/recents`` (``items=activity``; a deleted one has no data), all of
them on a full sync from ``/api/v1/activities?user_id=0``. Stages are named from
``/api/v1/stages``, users listed from ``/api/v1/users``.

The token is sent in the ``x-api-token`` header (which Pipedrive accepts like the
``api_token`` parameter), so it never appears in a URL or a log. Times are UTC; the rows
carry them in ISO 8601 with a "Z" so that nobody reads them in another zone.
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
from pacesetter.integrations.http import Client

PAGE_SIZE = 100

OBJECT_TYPES = (
    ObjectType("organizations", "accounts", ("ID", "Name", "Owner", "Update time")),
    ObjectType("deals", "deals", (
        "ID", "Title", "Value", "Currency", "Stage", "Status", "Owner", "Won time",
        "Lost time", "Add time", "Update time", "Probability", "Organization")),
    ObjectType("activities", "activities", (
        "ID", "Subject", "Type", "Done", "Marked as done time", "Due date",
        "Assigned to user", "Organization", "Update time")),
)  # fmt: skip


class Pipedrive:
    name: str = "pipedrive"
    object_types: tuple[ObjectType, ...] = OBJECT_TYPES

    def __init__(self, client: Client) -> None:
        self.client = client
        self._stages: dict[str, str] | None = None

    @classmethod
    def from_settings(cls) -> Pipedrive:
        settings = config.crm_settings("pipedrive")
        if not settings.token:
            raise NotConfigured("PACESETTER_PIPEDRIVE_TOKEN")
        return cls(Client(settings.url, headers={"x-api-token": settings.token}))

    def close(self) -> None:
        self.client.close()

    def pages(self, object_type: ObjectType, since: dt.datetime | None) -> Iterator[Page]:
        if object_type.name == "organizations":
            yield from self._newest_first("/api/v1/organizations", {}, since, self._account)
        elif object_type.name == "deals":
            params = {"status": "all_not_deleted"}
            yield from self._newest_first("/api/v1/deals", params, since, self._deal)
            yield from self._newest_first("/api/v1/deals", {"status": "deleted"}, since, None)
        elif since is None:
            yield from self._listed("/api/v1/activities", {"user_id": 0}, self._activity)
        else:
            yield from self._recent_activities(since)

    # --- paging -----------------------------------------------------------------------

    def _newest_first(
        self, path: str, params: dict[str, Any], since: dt.datetime | None, row: Any
    ) -> Iterator[Page]:
        """Records changed at or after ``since``, newest first; ``row`` None: removed."""
        query = {**params, "sort": "update_time DESC", "start": 0, "limit": PAGE_SIZE}
        while True:
            answer = self.client.get(path, params=query)
            page, older = Page(), False
            for record in answer.get("data") or []:
                changed = parse_instant(record.get("update_time"))
                if since is not None and changed is not None and changed < since:
                    older = True
                    break
                if row is None:
                    page.removed.append(str(record["id"]))
                else:
                    page.rows.append(row(record))
                    page.newest = newest(page.newest, changed)
            yield page
            following = _next_start(answer)
            if older or following is None:
                return
            query["start"] = following

    def _listed(self, path: str, params: dict[str, Any], row: Any) -> Iterator[Page]:
        query = {**params, "start": 0, "limit": PAGE_SIZE}
        while True:
            answer = self.client.get(path, params=query)
            page = Page()
            for record in answer.get("data") or []:
                page.rows.append(row(record))
                page.newest = newest(page.newest, parse_instant(record.get("update_time")))
            yield page
            following = _next_start(answer)
            if following is None:
                return
            query["start"] = following

    def _recent_activities(self, since: dt.datetime) -> Iterator[Page]:
        stamp = since.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        query: dict[str, Any] = {"since_timestamp": stamp, "items": "activity", "start": 0,
                                 "limit": PAGE_SIZE}  # fmt: skip
        while True:
            answer = self.client.get("/api/v1/recents", params=query)
            page = Page()
            for item in answer.get("data") or []:
                data = item.get("data")
                if not data or data.get("active_flag") is False:
                    page.removed.append(str(item.get("id")))
                    continue
                page.rows.append(self._activity(data))
                page.newest = newest(page.newest, parse_instant(data.get("update_time")))
            yield page
            following = _next_start(answer)
            if following is None:
                return
            query["start"] = following

    # --- rows -------------------------------------------------------------------------

    def _account(self, record: dict[str, Any]) -> dict[str, str]:
        return {"ID": cell(record["id"]), "Name": cell(record.get("name")),
                "Owner": _id_of(record.get("owner_id")),
                "Update time": _iso(record.get("update_time"))}  # fmt: skip

    def _deal(self, record: dict[str, Any]) -> dict[str, str]:
        organization = record.get("org_id")
        return {
            "ID": cell(record["id"]),
            "Title": cell(record.get("title")),
            "Value": cell(record.get("value")),
            "Currency": cell(record.get("currency")),
            "Stage": self.stages().get(cell(record.get("stage_id")), ""),
            "Status": cell(record.get("status")),
            "Owner": _id_of(record.get("user_id")),
            "Won time": _iso(record.get("won_time")),
            "Lost time": _iso(record.get("lost_time")),
            "Add time": _iso(record.get("add_time")),
            "Update time": _iso(record.get("update_time")),
            "Probability": cell(record.get("probability")),
            "Organization": cell(organization.get("name"))
            if isinstance(organization, dict)
            else "",
        }

    def _activity(self, record: dict[str, Any]) -> dict[str, str]:
        return {
            "ID": cell(record["id"]),
            "Subject": cell(record.get("subject")),
            "Type": cell(record.get("type")),
            "Done": cell(bool(record.get("done"))),
            "Marked as done time": _iso(record.get("marked_as_done_time")),
            "Due date": cell(record.get("due_date")),
            "Assigned to user": _id_of(record.get("user_id")),
            "Organization": cell(record.get("org_name")),
            "Update time": _iso(record.get("update_time")),
        }

    def stages(self) -> dict[str, str]:
        if self._stages is None:
            answer = self.client.get("/api/v1/stages")
            self._stages = {str(s["id"]): str(s["name"]) for s in answer.get("data") or []}
        return self._stages

    def owners(self) -> dict[str, str]:
        answer = self.client.get("/api/v1/users")
        return {
            str(user["id"]): f"{user.get('name', '')} <{user['email']}>"
            if user.get("email")
            else str(user.get("name", ""))
            for user in answer.get("data") or []
        }


def _next_start(answer: dict[str, Any]) -> int | None:
    pagination = (answer.get("additional_data") or {}).get("pagination") or {}
    if not pagination.get("more_items_in_collection"):
        return None
    following = pagination.get("next_start")
    return int(following) if following is not None else None


def _id_of(value: Any) -> str:
    """A user or organization field: an id, or an object with its id as ``value``/``id``."""
    if isinstance(value, dict):
        return cell(value.get("value", value.get("id")))
    return cell(value)


def _iso(value: Any) -> str:
    """A Pipedrive time ("2026-01-21 14:03:55", UTC) as ISO 8601 with a "Z"."""
    moment = parse_instant(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""
