"""Notices of every kind for the Chinese crawl (``web/tests/test_zh_hans_crawl.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from pacesetter.notifications.models import Kind, Notification
from pacesetter.org.models import Person

PARAMS = {"metric": "demos_held", "period": "2026-11", "old": "20.00", "new": "30.00",
          "status": "behind", "actual": "4.00", "target": "30.00", "reward": "$250",
          "unit": "Team Alpha"}  # fmt: skip
WITH_UNIT = (Kind.GOAL_CHANGED, Kind.COLLECTIVE_MET)


def seed_notices(people: Iterable[Person]) -> None:
    """One in-app notice of each kind for each person (once; no e-mail or chat queued)."""
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                kind=kind,
                key=f"crawl:{kind}",
                url="/",
                params={k: v for k, v in PARAMS.items() if kind in WITH_UNIT or k != "unit"},
            )
            for person in people
            for kind in Kind.values
        ],
        ignore_conflicts=True,
    )
