"""The hand-built November 2026 ledger of the metric engine's tests, shared here."""

from pacesetter.metrics.tests.conftest import *  # noqa: F403
