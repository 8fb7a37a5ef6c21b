"""Stamp triggers (core.stamps): a member's follows bump ``user:<id>``; their notifications
``notices:<id>``, a scope of their own: a fan-out writes many members' notices in one statement
(stamps locked in name order) while a post's deletion removes the notices about it after its
author's ``user:`` stamp, and one shared namespace would let the two lock in opposite orders."""

from functools import partial

from django.db import migrations

from core import versions

# The SQL of the day (core.0001's function, its trigger names): unchanged for existing databases.
trigger_sql = partial(versions.trigger_sql, bump="core_bump_stamps")

TRIGGERS = [
    trigger_sql("notifications_notification", "'notices:' || r.recipient_id"),
    trigger_sql("notifications_subscription", "'user:' || r.user_id"),
]


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_highlighted_kind"), ("core", "0001_initial")]

    operations = [migrations.RunSQL(create, drop) for create, drop in TRIGGERS]
