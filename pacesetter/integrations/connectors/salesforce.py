"""Salesforce (REST API) with a connected app: OAuth JWT bearer flow or a refresh token.

The connector asks ``POST {PACESETTER_SALESFORCE_URL}/services/oauth2/token`` for an access
token and the org's ``instance_url``: with ``_USERNAME`` and ``_PRIVATE_KEY_FILE`` it sends
a JWT signed with the connected app's key (RS256; ``iss`` the consumer key, ``sub`` the
user, ``aud`` the login URL; ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer``),
else its refresh token (``grant_type=refresh_token``). It then queries
``/services/data/{version}/queryAll`` with SOQL over Account, Opportunity, Task and Event,
``WHERE SystemModstamp >= cursor ORDER BY SystemModstamp``, following ``nextRecordsUrl``
until ``done``. ``queryAll`` includes deleted records (``IsDeleted``; an account merged
into another is deleted with its ``MasterRecordId`` set): they leave the ledger. A session
that expired (401) is renewed once. Users come from ``SELECT Id, Name, Email FROM User``.

The rows have the API names of a Data Loader export (the ``salesforce`` preset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import jwt

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

STAMP = "SystemModstamp"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_LIFETIME = dt.timedelta(minutes=3)  # Salesforce accepts at most 3 minutes
OBJECT_TYPES = (
    ObjectType("Account", "accounts", ("Id", "Name", "OwnerId", STAMP)),
    ObjectType("Opportunity", "deals", (
        "Id", "Name", "AccountId", "StageName", "Amount", "CloseDate", "CreatedDate", "OwnerId",
        "IsClosed", "IsWon", "Probability", STAMP)),
    ObjectType("Task", "activities", (
        "Id", "Subject", "Type", "TaskSubtype", "Status", "IsClosed", "CompletedDateTime",
        "ActivityDate", "CreatedDate", "OwnerId", "AccountId", STAMP)),
    ObjectType("Event", "activities", (
        "Id", "Subject", "Type", "EventSubtype", "StartDateTime", "ActivityDateTime",
        "OwnerId", "AccountId", STAMP)),
)  # fmt: skip


class Salesforce:
    name: str = "salesforce"
    object_types: tuple[ObjectType, ...] = OBJECT_TYPES

    def __init__(self, login: Client, settings: config.CrmSettings) -> None:
        self.login, self.settings = login, settings
        self.data: Client | None = None

    @classmethod
    def from_settings(cls) -> Salesforce:
        settings = config.crm_settings("salesforce")
        jwt_flow = settings.username and settings.private_key_file
        if not (settings.client_id and (settings.refresh_token or jwt_flow)):
            raise NotConfigured(
                "PACESETTER_SALESFORCE_CLIENT_ID and PACESETTER_SALESFORCE_REFRESH_TOKEN (or "
                "PACESETTER_SALESFORCE_USERNAME and PACESETTER_SALESFORCE_PRIVATE_KEY_FILE)"
            )
        return cls(Client(settings.url), settings)

    def close(self) -> None:
        self.login.close()
        if self.data is not None:
            self.data.close()

    def authenticate(self) -> Client:
        """A client of the org's instance with a fresh access token."""
        answer = self.login.post("/services/oauth2/token", data=self._grant())
        instance = str(answer.get("instance_url") or "")
        if urlsplit(instance).scheme not in ("https", "http"):
            raise ApiError("POST /services/oauth2/token gave no instance_url")
        if self.data is None or self.data.base_url != instance.rstrip("/"):
            if self.data is not None:
                self.data.close()
            self.data = Client(instance, sleep=self.login.sleep, retries=self.login.retries)
        self.data.set_header("Authorization", f"Bearer {answer['access_token']}")
        return self.data

    def _grant(self) -> dict[str, str]:
        """The token request's form: a signed JWT when a key is set, else the refresh token."""
        settings = self.settings
        if settings.username and settings.private_key_file:
            return {"grant_type": JWT_BEARER, "assertion": self.assertion()}
        form = {
            "grant_type": "refresh_token",
            "client_id": settings.client_id,
            "refresh_token": settings.refresh_token,
        }
        if settings.client_secret:
            form["client_secret"] = settings.client_secret
        return form

    def assertion(self, now: dt.datetime | None = None) -> str:
        """The JWT of the bearer flow, signed with the connected app's private key."""
        settings = self.settings
        try:
            with open(settings.private_key_file, "rb") as file:
                key = file.read()
        except OSError as error:
            raise ApiError(f"PACESETTER_SALESFORCE_PRIVATE_KEY_FILE: {error.strerror}") from None
        now = now or dt.datetime.now(dt.UTC)
        claims = {"iss": settings.client_id, "sub": settings.username, "aud": settings.url,
                  "exp": int((now + JWT_LIFETIME).timestamp())}  # fmt: skip
        return jwt.encode(claims, key, algorithm="RS256")

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        client = self.data or self.authenticate()
        try:
            return client.get(path, params=params)
        except ApiError as error:
            if error.status != 401:
                raise
            return self.authenticate().get(path, params=params)  # the session expired

    def query(self, soql: str) -> Iterator[list[dict[str, Any]]]:
        """The records of a SOQL query (deleted ones included), page by page."""
        version = self.settings.api_version
        answer = self._get(f"/services/data/{version}/queryAll", {"q": soql})
        while True:
            yield answer.get("records") or []
            following = answer.get("nextRecordsUrl")
            if answer.get("done", True) or not following:
                return
            answer = self._get(following)

    def pages(self, object_type: ObjectType, since: dt.datetime | None) -> Iterator[Page]:
        fields = [*object_type.columns, "IsDeleted"]
        soql = f"SELECT {', '.join(fields)} FROM {object_type.name}"
        if since is not None:
            soql += f" WHERE {STAMP} >= {since.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
        soql += f" ORDER BY {STAMP}"
        for records in self.query(soql):
            page = Page()
            for record in records:
                page.newest = newest(page.newest, parse_instant(record.get(STAMP)))
                if record.get("IsDeleted"):
                    page.removed.append(str(record["Id"]))
                else:
                    page.rows.append({c: cell(record.get(c)) for c in object_type.columns})
            yield page

    def owners(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for records in self.query("SELECT Id, Name, Email FROM User"):
            for user in records:
                email = user.get("Email") or ""
                name = str(user.get("Name") or "")
                found[str(user["Id"])] = f"{name} <{email}>" if email else name
        return found
