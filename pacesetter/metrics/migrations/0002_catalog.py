"""Load the built-in metric catalog (pacesetter.metrics.catalog)."""

from django.db import migrations

# The catalog as it is in the code; a later change to an entry comes with a migration.
from pacesetter.metrics.catalog import CATALOG


def load(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    for entry in CATALOG:
        Metric.objects.update_or_create(name=entry["name"], defaults={**entry, "built_in": True})


def unload(apps, schema_editor):
    apps.get_model("metrics", "Metric").objects.filter(built_in=True).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
