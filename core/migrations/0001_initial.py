"""core.models.Stamp and the function every app's stamp triggers call (core.stamps)."""

from django.db import migrations, models

from core.stamps import BUMP_FUNCTION, DROP_BUMP_FUNCTION


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Stamp",
            fields=[
                ("name", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
            options={"db_table": "core_stamp"},
        ),
        migrations.RunSQL(BUMP_FUNCTION, DROP_BUMP_FUNCTION),
    ]
