# A weekly number is stored per part of a week that straddles two months: the column that
# held the week's first day now holds the first day the number covers. Existing rows keep
# their dates (each covered a whole week; it stays counted where it was).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0003_fk_indexes_covered"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="manualentry", name="manualentry_one_per_week"),
        migrations.RemoveIndex(model_name="manualentry", name="manualentry_metric_week"),
        migrations.RenameField(model_name="manualentry", old_name="week_start", new_name="first_day"),
        migrations.AlterField(
            model_name="manualentry",
            name="first_day",
            field=models.DateField(
                help_text="First day the number covers: the week's first day (per the org's week "
                "start), or the 1st of the month for the second part of a week that straddles two."
            ),
        ),
        migrations.AddConstraint(
            model_name="manualentry",
            constraint=models.UniqueConstraint(
                fields=("person", "metric", "first_day"), name="manualentry_one_per_week_part"
            ),
        ),
        migrations.AddIndex(
            model_name="manualentry",
            index=models.Index(fields=["metric", "first_day", "person"], name="manualentry_metric_day"),
        ),
    ]
