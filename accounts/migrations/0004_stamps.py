"""Stamp triggers (core.stamps): a member's row, roles and suspensions bump ``user:<id>``."""

from functools import partial

from django.db import migrations

from core import versions

# The SQL of the day (core.0001's function, its trigger names): unchanged for existing databases.
trigger_sql = partial(versions.trigger_sql, bump="core_bump_stamps")

TRIGGERS = [
    trigger_sql("accounts_user", "'user:' || r.id"),
    trigger_sql("accounts_user_groups", "'user:' || r.user_id"),
    trigger_sql("accounts_suspension", "'user:' || r.user_id"),
]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_suspension"), ("core", "0001_initial")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
