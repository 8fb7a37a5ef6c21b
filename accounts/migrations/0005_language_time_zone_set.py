"""A member's language (blank: the browser's) and whether their time zone is their own: a member
whose zone differs from the site's chose it, so their browser never replaces it (decision 111)."""

from django.conf import settings
from django.db import migrations, models


def mark_chosen_zones(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.exclude(time_zone=settings.TIME_ZONE).update(time_zone_set=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_stamps")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=settings.LANGUAGES,
                help_text="The language of the site and of your emails. Blank: your browser's.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(model_name="user", name="time_zone_set", field=models.BooleanField(default=False)),
        migrations.RunPython(mark_chosen_zones, migrations.RunPython.noop),
    ]
