"""The connectors, by name: ``connector_for("hubspot")`` builds one from the settings."""

from __future__ import annotations

from collections.abc import Callable

from pacesetter.integrations.connectors.base import Connector, NotConfigured, ObjectType, Page
from pacesetter.integrations.connectors.hubspot import HubSpot
from pacesetter.integrations.connectors.pipedrive import Pipedrive
from pacesetter.integrations.connectors.salesforce import Salesforce

CONNECTORS: dict[str, Callable[[], Connector]] = {
    "hubspot": HubSpot.from_settings,
    "pipedrive": Pipedrive.from_settings,
    "salesforce": Salesforce.from_settings,
}

__all__ = ["CONNECTORS", "Connector", "NotConfigured", "ObjectType", "Page", "connector_for"]


def connector_for(name: str) -> Connector:
    """The named connector with its credentials; ``NotConfigured`` when they are not set,
    ``ValueError`` for an unknown name."""
    if name not in CONNECTORS:
        raise ValueError(f"unknown connector {name!r} (use {', '.join(CONNECTORS)})")
    return CONNECTORS[name]()
