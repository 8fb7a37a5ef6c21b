"""Share with the facilitator only, reply privately (issue 23): who reads a shared post
(``Reflection.audience``, ``private_to``), and the partial index of the top-level posts outside the
stored count now holds the facilitator-only ones too (``space_page.uncounted_visible``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0018_reflection_content_note"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reflection",
            name="audience",
            field=models.CharField(
                choices=[("course", "the course"), ("facilitators", "the facilitators only")],
                default="course",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="reflection",
            name="private_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveIndex(model_name="reflection", name="reflection_uncounted"),
        migrations.AddIndex(
            model_name="reflection",
            index=models.Index(
                condition=models.Q(
                    ("thread__isnull", True),
                    models.Q(
                        ("is_private", True),
                        models.Q(("audience", "course"), _negated=True),
                        ("hidden_at__isnull", False),
                        ("deleted_at__isnull", False),
                        _connector="OR",
                    ),
                ),
                fields=["prompt"],
                name="reflection_uncounted",
            ),
        ),
    ]
