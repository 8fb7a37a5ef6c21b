"""Stamp triggers (core.stamps) and two more writers of the space's version (FeedVersion):

- an activity added or removed bumps its course (``course:<id>``: the lesson's list of activities);
- an activity changed (title, text, locked, pinned, its stored count…) bumps its own space's
  version, whose row every post written there locks anyway;
- a like changed (its reason) bumps the space of the liked post;
- a member's draft bumps ``user:<id>``.
"""

from functools import partial

from django.db import migrations

from core import versions

# The SQL of the day (core.0001's function, its trigger names): unchanged for existing databases.
trigger_sql = partial(versions.trigger_sql, bump="core_bump_stamps")

FEED_TRIGGERS = """
CREATE FUNCTION community_bump_feed_version_of_prompt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO community_feed_version (prompt_id, version)
    SELECT id, nextval('community_feed_version_seq') FROM (SELECT id FROM new_rows UNION SELECT id FROM old_rows) changed
    ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$;
CREATE TRIGGER community_prompt_feed_update AFTER UPDATE ON community_prompt
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION community_bump_feed_version_of_prompt();

CREATE FUNCTION community_bump_feed_version_of_like() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO community_feed_version (prompt_id, version)
        SELECT prompt_id, nextval('community_feed_version_seq') FROM (
            SELECT DISTINCT p.prompt_id FROM new_rows r JOIN community_reflection p ON p.id = r.reflection_id
        ) changed
        ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO community_feed_version (prompt_id, version)
        SELECT prompt_id, nextval('community_feed_version_seq') FROM (
            SELECT p.prompt_id FROM new_rows r JOIN community_reflection p ON p.id = r.reflection_id
            UNION SELECT p.prompt_id FROM old_rows r JOIN community_reflection p ON p.id = r.reflection_id
        ) changed
        ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    ELSE
        INSERT INTO community_feed_version (prompt_id, version)
        SELECT prompt_id, nextval('community_feed_version_seq') FROM (
            SELECT DISTINCT p.prompt_id FROM old_rows r JOIN community_reflection p ON p.id = r.reflection_id
        ) changed
        ON CONFLICT (prompt_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER community_like_feed_insert AFTER INSERT ON community_like
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION community_bump_feed_version_of_like();
CREATE TRIGGER community_like_feed_update AFTER UPDATE ON community_like
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION community_bump_feed_version_of_like();
CREATE TRIGGER community_like_feed_delete AFTER DELETE ON community_like
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION community_bump_feed_version_of_like();
"""

DROP_FEED_TRIGGERS = """
DROP TRIGGER community_prompt_feed_update ON community_prompt;
DROP FUNCTION community_bump_feed_version_of_prompt();
DROP TRIGGER community_like_feed_insert ON community_like;
DROP TRIGGER community_like_feed_update ON community_like;
DROP TRIGGER community_like_feed_delete ON community_like;
DROP FUNCTION community_bump_feed_version_of_like();
"""

TRIGGERS = [
    trigger_sql(
        "community_prompt",
        "'course:' || l.course_id",
        join="JOIN lessons_lesson l ON l.id = r.lesson_id",
        operations=("INSERT", "DELETE"),
    ),  # fmt: skip
    trigger_sql("community_draft", "'user:' || r.user_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0013_prompt_since_index"),
        ("core", "0001_initial"),
        ("lessons", "0006_stamps"),
    ]

    operations = [
        migrations.RunSQL(FEED_TRIGGERS, DROP_FEED_TRIGGERS),
        *(migrations.RunSQL(create, drop) for create, drop in TRIGGERS),
    ]
