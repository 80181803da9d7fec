"""Load the built-in metric catalog as it was when this migration was written.

The entries are frozen here, not imported from ``pacesetter.metrics.catalog``: a migration
must insert the same rows whenever it runs. A later change to the catalog comes with a
migration of its own (``metrics/tests/test_catalog.py`` fails until it does).
"""

from django.db import migrations

CATALOG = [
    {
        "name": "revenue_won",
        "label": "Revenue won",
        "source": "deals",
        "aggregation": "sum",
        "filters": {"status": "won"},
        "direction": "higher",
        "unit": "money",
        "description": "Sum of the amounts of deals won, by close date.",
    },
    {
        "name": "deals_won",
        "label": "Deals won",
        "source": "deals",
        "aggregation": "count",
        "filters": {"status": "won"},
        "direction": "higher",
        "unit": "count",
        "description": "Number of deals won, by close date.",
    },
    {
        "name": "close_rate",
        "label": "Close rate",
        "source": "deals",
        "aggregation": "ratio",
        "filters": {},
        "direction": "higher",
        "unit": "percent",
        "description": "Deals won ÷ deals closed (won or lost) in the period, in percent.",
    },
    {
        "name": "lead_to_customer_days",
        "label": "Lead-to-customer time",
        "source": "deals",
        "aggregation": "median_days",
        "filters": {"status": "won"},
        "direction": "lower",
        "unit": "days",
        "description": (
            "Median days from a deal's creation to its win, for deals won in the period."
        ),
    },
    {
        "name": "demos_held",
        "label": "Demos held",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "demo"},
        "direction": "higher",
        "unit": "count",
        "description": "Product demos held.",
    },
    {
        "name": "enterprise_demos",
        "label": "Enterprise demos",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "demo", "segment": "enterprise"},
        "direction": "higher",
        "unit": "count",
        "description": "Demos held for accounts of the enterprise segment.",
    },
    {
        "name": "calls_made",
        "label": "Calls made",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "call"},
        "direction": "higher",
        "unit": "count",
        "description": "Calls made.",
    },
    {
        "name": "emails_sent",
        "label": "E-mails sent",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "email"},
        "direction": "higher",
        "unit": "count",
        "description": "Prospecting and follow-up e-mails sent.",
    },
    {
        "name": "meetings_booked",
        "label": "Meetings booked",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "meeting_booked"},
        "direction": "higher",
        "unit": "count",
        "description": "Meetings booked with prospects or customers.",
    },
    {
        "name": "meetings_held",
        "label": "Meetings held",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "meeting"},
        "direction": "higher",
        "unit": "count",
        "description": "Meetings held.",
    },
    {
        "name": "articles_shared",
        "label": "Articles shared",
        "source": "activities",
        "aggregation": "count",
        "filters": {"kind": "article"},
        "direction": "higher",
        "unit": "count",
        "description": "Articles shared with prospects or on social media.",
    },
    {
        "name": "new_customer_coverage",
        "label": "New-customer coverage",
        "source": "accounts",
        "aggregation": "coverage",
        "filters": {"recent_months": 6, "window": "month"},
        "direction": "higher",
        "unit": "percent",
        "description": "Share of the customers acquired in the last 6 months that had at least one "
        "touch (e-mail, call, meeting or demo) in every month of the period so far; "
        'set "window": "two_weeks" for every two weeks.',
    },
    {
        "name": "retention_rate",
        "label": "Customer retention",
        "source": "accounts",
        "aggregation": "retention",
        "filters": {},
        "direction": "higher",
        "unit": "percent",
        "description": (
            "Customers at the start of the period still customers at its end (or today), "
            "in percent."
        ),
    },
    {
        "name": "pd_events",
        "label": "Professional-development events",
        "source": "entries",
        "aggregation": "sum",
        "filters": {"metric": "pd_events"},
        "direction": "higher",
        "unit": "count",
        "description": "Events attended, reported weekly on the form or the spreadsheet.",
    },
]


def load(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    for entry in CATALOG:
        Metric.objects.update_or_create(name=entry["name"], defaults={**entry, "built_in": True})


def unload(apps, schema_editor):
    apps.get_model("metrics", "Metric").objects.filter(built_in=True).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
