# Words counted as a reader counts them (core.text, issue 21 item 13): a link by its text, an
# address or an @mention as one word. PostgreSQL cannot change a generated column's expression in
# place, so the column is dropped and added again (recomputed for every row).

from django.db import migrations, models

import core.text


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0015_space_versions"),
    ]

    operations = [
        migrations.RemoveField(model_name="reflection", name="word_count"),
        migrations.AddField(
            model_name="reflection",
            name="word_count",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.text.word_count_expression("body"),
                output_field=models.IntegerField(),
            ),
        ),
    ]
