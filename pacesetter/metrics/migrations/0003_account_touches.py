import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """Count the touches already in the ledger, per customer and month in the org's zone."""
    import zoneinfo

    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    settings = apps.get_model("org", "OrgSettings").objects.filter(pk=1).first()
    zone = zoneinfo.ZoneInfo(settings.time_zone if settings else "UTC")
    Activity = apps.get_model("ledger", "Activity")
    AccountMonth = apps.get_model("metrics", "AccountMonth")
    rows = (
        Activity.objects.filter(account__isnull=False, kind__in=("email", "call", "meeting", "demo"))
        .annotate(m=TruncMonth("occurred_at", tzinfo=zone))
        .values_list("account_id", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    AccountMonth.objects.bulk_create(
        (
            AccountMonth(account_id=a, month=m.date() if hasattr(m, "date") else m, touches=n)
            for a, m, n in rows.iterator(chunk_size=10_000)
        ),
        batch_size=5_000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_fk_indexes_covered'),
        ('metrics', '0002_catalog'),
        ('org', '0004_realism_thresholds'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="First day of the month, in the org's time zone.")),
                ('touches', models.BigIntegerField(default=0)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ledger.account')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('month', 'account'), name='accountmonth_key'), models.CheckConstraint(condition=models.Q(('touches__gt', 0)), name='accountmonth_touched')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
