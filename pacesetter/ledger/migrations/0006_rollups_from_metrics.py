"""The monthly rollups move from the metrics app to the ledger, the facts they summarise.

The tables and their rows stay: the models are taken over as they are (state only), then
the tables are renamed from ``metrics_*`` to ``ledger_*``.
"""

import django.db.models.deletion
import pacesetter.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_deal_created_optional'),
        ('org', '0005_person_email_optional_crm_ids'),
        ('metrics', '0003_account_touches'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccountMonth',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text="First day of the month, in the org's time zone.")),
                        ('touches', models.BigIntegerField(default=0)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ledger.account')),
                    ],
                    options={
                        'db_table': 'metrics_accountmonth',
                        'constraints': [models.UniqueConstraint(fields=('month', 'account'), name='accountmonth_key'), models.CheckConstraint(condition=models.Q(('touches__gt', 0)), name='accountmonth_touched')],
                    },
                ),
                migrations.CreateModel(
                    name='ActivityMonth',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text="First day of the month, in the org's time zone.")),
                        ('kind', models.CharField(max_length=16)),
                        ('segment', models.CharField(blank=True, max_length=16)),
                        ('count', models.BigIntegerField(default=0)),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.person')),
                    ],
                    options={
                        'db_table': 'metrics_activitymonth',
                        'constraints': [models.UniqueConstraint(fields=('month', 'kind', 'segment', 'person'), name='activitymonth_key'), models.CheckConstraint(condition=models.Q(('count__gte', 0)), name='activitymonth_not_negative')],
                    },
                ),
                migrations.CreateModel(
                    name='DealMonth',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='First day of the month the deals closed in.')),
                        ('status', models.CharField(max_length=8)),
                        ('segment', models.CharField(blank=True, max_length=16)),
                        ('count', models.BigIntegerField(default=0)),
                        ('amount', pacesetter.fields.MoneyField(default=0)),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.person')),
                    ],
                    options={
                        'db_table': 'metrics_dealmonth',
                        'constraints': [models.UniqueConstraint(fields=('month', 'status', 'segment', 'person'), name='dealmonth_key'), models.CheckConstraint(condition=models.Q(('count__gte', 0)), name='dealmonth_not_negative')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='accountmonth', table=None),
        migrations.AlterModelTable(name='activitymonth', table=None),
        migrations.AlterModelTable(name='dealmonth', table=None),
    ]
