"""A hidden reflection keeps its replies visible under a placeholder unless the moderator hides
the whole conversation (issue 21, item 8). Reflections hidden before this took their replies with
them: they keep doing so (``hidden_with_replies``), as the moderator who hid them saw it."""

from django.db import migrations, models


def keep_earlier_choices(apps, schema_editor):
    Reflection = apps.get_model("community", "Reflection")
    Reflection.objects.filter(thread__isnull=True, hidden_at__isnull=False).update(hidden_with_replies=True)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0016_word_count_as_read"),
    ]

    operations = [
        migrations.AddField(
            model_name="reflection",
            name="hidden_with_replies",
            field=models.BooleanField(default=False, verbose_name="replies hidden too"),
        ),
        migrations.RunPython(keep_earlier_choices, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="reflection", name="reflection_hidden_threads"),
        migrations.AddIndex(
            model_name="reflection",
            index=models.Index(
                condition=models.Q(
                    ("hidden_at__isnull", False), ("hidden_with_replies", True), ("thread__isnull", True)
                ),
                fields=["id"],
                name="reflection_hidden_whole",
            ),
        ),
    ]
