"""A reflection can carry a short content note ("mentions bereavement"): others see the note and
choose to read on; search snippets and notifications show the note, not the text (issue 23)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0017_hidden_conversations"),
    ]

    operations = [
        migrations.AddField(
            model_name="reflection",
            name="content_note",
            field=models.CharField(blank=True, max_length=80),
        ),
    ]
