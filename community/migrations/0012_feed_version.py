"""The space's version (community.models.FeedVersion), kept by triggers on community_reflection.

Statement-level triggers with transition tables: a bulk insert or update of many posts bumps each
prompt it touched once, not once per row."""

from django.db import migrations, models

BUMP = """
CREATE SEQUENCE community_feed_version_seq;

CREATE FUNCTION community_bump_feed_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO community_feed_version (prompt_id, version)
        SELECT prompt_id, nextval('community_feed_version_seq') FROM (SELECT DISTINCT prompt_id FROM new_rows) changed
        ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO community_feed_version (prompt_id, version)
        SELECT prompt_id, nextval('community_feed_version_seq') FROM (
            SELECT prompt_id FROM new_rows UNION SELECT prompt_id FROM old_rows
        ) changed
        ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    ELSE
        INSERT INTO community_feed_version (prompt_id, version)
        SELECT prompt_id, nextval('community_feed_version_seq') FROM (SELECT DISTINCT prompt_id FROM old_rows) changed
        ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER community_reflection_feed_insert AFTER INSERT ON community_reflection
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION community_bump_feed_version();
CREATE TRIGGER community_reflection_feed_update AFTER UPDATE ON community_reflection
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION community_bump_feed_version();
CREATE TRIGGER community_reflection_feed_delete AFTER DELETE ON community_reflection
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION community_bump_feed_version();
"""

UNBUMP = """
DROP TRIGGER community_reflection_feed_insert ON community_reflection;
DROP TRIGGER community_reflection_feed_update ON community_reflection;
DROP TRIGGER community_reflection_feed_delete ON community_reflection;
DROP FUNCTION community_bump_feed_version();
DROP SEQUENCE community_feed_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("community", "0011_hidden_threads_index")]

    operations = [
        migrations.CreateModel(
            name="FeedVersion",
            fields=[
                ("prompt_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
            options={"db_table": "community_feed_version"},
        ),
        migrations.RunSQL(BUMP, UNBUMP),
    ]
