"""core.models.Stamp (now ``Version``, 0002) and the function every app's triggers called."""

from django.db import migrations, models

BUMP_FUNCTION = """
CREATE SEQUENCE core_stamp_seq;
CREATE FUNCTION core_bump_stamps(names text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core_stamp (name, version)
    SELECT name, nextval('core_stamp_seq')
    FROM (SELECT DISTINCT name FROM unnest(names) AS name WHERE name IS NOT NULL ORDER BY name) changed
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
$$;
"""
DROP_BUMP_FUNCTION = "DROP FUNCTION core_bump_stamps(text[]); DROP SEQUENCE core_stamp_seq;"


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
