"""The built-in metrics: one per example goal (G1–G10) plus the everyday activity counts.

Names are an interface: users, scripts, imports and goals refer to them. Loaded by migration
0002; admins may add their own metrics or edit labels, but not rename these.
"""

from __future__ import annotations

from typing import Any

CATALOG: list[dict[str, Any]] = [
    # G1: revenue won, by close date.
    dict(name="revenue_won", label="Revenue won", source="deals", aggregation="sum",
         filters={"status": "won"}, direction="higher", unit="money",
         description="Sum of the amounts of deals won, by close date."),
    dict(name="deals_won", label="Deals won", source="deals", aggregation="count",
         filters={"status": "won"}, direction="higher", unit="count",
         description="Number of deals won, by close date."),
    # G3: close rate.
    dict(name="close_rate", label="Close rate", source="deals", aggregation="ratio",
         filters={}, direction="higher", unit="percent",
         description="Deals won ÷ deals closed (won or lost) in the period, in percent."),
    # G7: time from lead to customer.
    dict(name="lead_to_customer_days", label="Lead-to-customer time", source="deals",
         aggregation="median_days", filters={"status": "won"}, direction="lower", unit="days",
         description="Median days from a deal's creation to its win, for deals won in the period."),
    # G2 and G10: demos, and enterprise demos.
    dict(name="demos_held", label="Demos held", source="activities", aggregation="count",
         filters={"kind": "demo"}, direction="higher", unit="count",
         description="Product demos held."),
    dict(name="enterprise_demos", label="Enterprise demos", source="activities",
         aggregation="count", filters={"kind": "demo", "segment": "enterprise"},
         direction="higher", unit="count",
         description="Demos held for accounts of the enterprise segment."),
    dict(name="calls_made", label="Calls made", source="activities", aggregation="count",
         filters={"kind": "call"}, direction="higher", unit="count", description="Calls made."),
    dict(name="emails_sent", label="E-mails sent", source="activities", aggregation="count",
         filters={"kind": "email"}, direction="higher", unit="count",
         description="Prospecting and follow-up e-mails sent."),
    # G9: meetings booked (competitions rank on it).
    dict(name="meetings_booked", label="Meetings booked", source="activities",
         aggregation="count", filters={"kind": "meeting_booked"}, direction="higher",
         unit="count", description="Meetings booked with prospects or customers."),
    dict(name="meetings_held", label="Meetings held", source="activities", aggregation="count",
         filters={"kind": "meeting"}, direction="higher", unit="count",
         description="Meetings held."),
    # G5: a habit, counted per week, with streaks.
    dict(name="articles_shared", label="Articles shared", source="activities",
         aggregation="count", filters={"kind": "article"}, direction="higher", unit="count",
         description="Articles shared with prospects or on social media."),
    # G4: keep in touch with new customers.
    dict(name="new_customer_coverage", label="New-customer coverage", source="accounts",
         aggregation="coverage", filters={"recent_months": 6, "window": "month"},
         direction="higher", unit="percent",
         description="Share of the customers acquired in the last 6 months that had at least "
         "one touch (e-mail, call, meeting or demo) in every month of the period so far; "
         'set "window": "two_weeks" for every two weeks.'),
    # G6: retention.
    dict(name="retention_rate", label="Customer retention", source="accounts",
         aggregation="retention", filters={}, direction="higher", unit="percent",
         description="Customers at the start of the period still customers at its end "
         "(or today), in percent."),
    # G8: professional development, reported by hand.
    dict(name="pd_events", label="Professional-development events", source="entries",
         aggregation="sum", filters={"metric": "pd_events"}, direction="higher", unit="count",
         description="Events attended, reported weekly on the form or the spreadsheet."),
]  # fmt: skip
