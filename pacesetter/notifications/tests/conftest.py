"""Notifications' tests reuse the web's small org with goals (``web_org``): Alice on track,
Bob behind, Team Alpha's collective goal, each goal dated around today."""

from pacesetter.web.tests.conftest import web_org  # noqa: F401  (a fixture)
