"""The monthly rollups now belong to the ledger (ledger 0006 takes the tables over)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0003_account_touches'),
        ('ledger', '0006_rollups_from_metrics'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='activitymonth',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='dealmonth',
                    name='person',
                ),
                migrations.DeleteModel(
                    name='AccountMonth',
                ),
                migrations.DeleteModel(
                    name='ActivityMonth',
                ),
                migrations.DeleteModel(
                    name='DealMonth',
                ),
            ],
        ),
    ]
