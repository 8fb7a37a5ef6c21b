"""``Stamp`` becomes ``Version`` (core.versions: the one version mechanism), its table
``core_version`` and its sequence ``core_version_seq``; ``core_bump_versions`` moves scopes, and
``core_bump_stamps``, which the triggers installed by earlier migrations call, now hands over to it."""

from django.db import migrations

FUNCTIONS = """
ALTER SEQUENCE core_stamp_seq RENAME TO core_version_seq;
CREATE FUNCTION core_bump_versions(names text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core_version (name, version)
    SELECT name, nextval('core_version_seq')
    FROM (SELECT DISTINCT name FROM unnest(names) AS name WHERE name IS NOT NULL ORDER BY name) changed
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
$$;
CREATE OR REPLACE FUNCTION core_bump_stamps(names text[]) RETURNS void LANGUAGE sql AS $$
    SELECT core_bump_versions(names);
$$;
"""

UNDO_FUNCTIONS = """
CREATE OR REPLACE FUNCTION core_bump_stamps(names text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core_stamp (name, version)
    SELECT name, nextval('core_stamp_seq')
    FROM (SELECT DISTINCT name FROM unnest(names) AS name WHERE name IS NOT NULL ORDER BY name) changed
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
$$;
DROP FUNCTION core_bump_versions(text[]);
ALTER SEQUENCE core_version_seq RENAME TO core_stamp_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RenameModel("Stamp", "Version"),
        migrations.AlterModelTable("Version", "core_version"),
        migrations.RunSQL(FUNCTIONS, UNDO_FUNCTIONS),
    ]
