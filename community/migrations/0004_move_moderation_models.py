# Flag and ModerationAction now belong to the moderation app (its migration 0001 takes them over;
# the tables are unchanged).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0003_moderation"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Flag"),
                migrations.DeleteModel(name="ModerationAction"),
            ],
        ),
    ]
