"""The space's version joins the one version mechanism (core.versions): ``FeedVersion`` rows become
``space:<prompt id>`` scopes of ``core.Version``, moved by the same kind of trigger as every other
scope: a post or a like written, or the activity changed."""

from django.db import migrations

from core.versions import trigger_sql

DROP_FEED_TRIGGERS = """
DROP TRIGGER community_reflection_feed_insert ON community_reflection;
DROP TRIGGER community_reflection_feed_update ON community_reflection;
DROP TRIGGER community_reflection_feed_delete ON community_reflection;
DROP FUNCTION community_bump_feed_version();
DROP TRIGGER community_prompt_feed_update ON community_prompt;
DROP FUNCTION community_bump_feed_version_of_prompt();
DROP TRIGGER community_like_feed_insert ON community_like;
DROP TRIGGER community_like_feed_update ON community_like;
DROP TRIGGER community_like_feed_delete ON community_like;
DROP FUNCTION community_bump_feed_version_of_like();
"""

# Each space keeps its number; the sequence continues above both, so no scope repeats a value.
MOVE_VERSIONS = """
INSERT INTO core_version (name, version)
SELECT 'space:' || prompt_id, version FROM community_feed_version
ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
SELECT setval('core_version_seq', GREATEST(
    (SELECT last_value FROM core_version_seq), (SELECT last_value FROM community_feed_version_seq)
) + 1);
DROP SEQUENCE community_feed_version_seq;
"""

TRIGGERS = [
    trigger_sql("community_reflection", "'space:' || r.prompt_id"),
    trigger_sql("community_like", "'space:' || p.prompt_id", join="JOIN community_reflection p ON p.id = r.reflection_id"),
    trigger_sql("community_prompt", "'space:' || r.id", operations=("UPDATE",), function="core_version_community_prompt_space"),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("community", "0014_stamps"), ("core", "0002_version")]

    operations = [
        migrations.RunSQL(DROP_FEED_TRIGGERS),
        *(migrations.RunSQL(create, drop) for create, drop in TRIGGERS),
        migrations.RunSQL(MOVE_VERSIONS),
        migrations.DeleteModel("FeedVersion"),
    ]
