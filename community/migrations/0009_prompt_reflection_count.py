from django.db import migrations, models

# The stored count per prompt (issue 13): live, shared, shown top-level reflections, counted once
# here and kept by the services after (community.services.adjust_reflection_count).
RECOUNT = """
UPDATE community_prompt SET reflection_count = (
    SELECT COUNT(*) FROM community_reflection r
    WHERE r.prompt_id = community_prompt.id AND r.thread_id IS NULL AND NOT r.is_private
      AND r.hidden_at IS NULL AND r.deleted_at IS NULL
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_reflection_tools"),
    ]

    operations = [
        migrations.AddField(
            model_name="prompt",
            name="reflection_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Live, shared, shown top-level reflections (kept by the services; resync_counts).",
            ),
        ),
        migrations.RunSQL(RECOUNT, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="reflection",
            index=models.Index(
                condition=models.Q(
                    ("thread__isnull", True),
                    models.Q(
                        ("is_private", True), ("hidden_at__isnull", False), ("deleted_at__isnull", False),
                        _connector="OR",
                    ),
                ),
                fields=["prompt"],
                name="reflection_uncounted",
            ),
        ),
    ]
